import { RATE_LIMIT_WINDOW_MS, RateLimitStore, WindowCounts, WindowIncrement } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { RATE_WINDOWS_LUA } from './rate-windows.lua';

/** Keys per script call: a long batch would hold Redis (single-threaded) for everyone. */
const MAX_KEYS_PER_CALL = 500;

interface RateWindowCommands {
  sgRateWindows(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
}

/** Rate-limit windows as Redis counters, added to by one Lua call per batch. */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: Redis & RateWindowCommands;
  /** A window's counter must outlive the next window, which reads it as its previous one. */
  private readonly ttlMs: number;

  constructor(redis: Redis, windowMs = RATE_LIMIT_WINDOW_MS) {
    super();
    this.redis = redis as Redis & RateWindowCommands;
    if (typeof this.redis.sgRateWindows !== 'function') redis.defineCommand('sgRateWindows', { lua: RATE_WINDOWS_LUA });
    this.ttlMs = 2 * windowMs + 1_000;
  }

  async add(increments: readonly WindowIncrement[]): Promise<WindowCounts[]> {
    const counts: WindowCounts[] = [];
    for (let start = 0; start < increments.length; start += MAX_KEYS_PER_CALL) {
      const chunk = increments.slice(start, start + MAX_KEYS_PER_CALL);
      const keys: string[] = [];
      const deltas: string[] = [];
      for (const { key, window, delta } of chunk) {
        keys.push(REDIS_KEYS.rateLimit(key, window), REDIS_KEYS.rateLimit(key, window - 1));
        deltas.push(String(delta));
      }
      const reply = await this.redis.sgRateWindows(keys.length, ...keys, String(this.ttlMs), ...deltas);
      for (let i = 0; i < chunk.length; i++) counts.push({ current: Number(reply[2 * i]), previous: Number(reply[2 * i + 1]) });
    }
    return counts;
  }
}
