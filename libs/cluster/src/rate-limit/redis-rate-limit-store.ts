import { RATE_LIMIT_WINDOW_MS, RateLimitStore, WindowCounts, WindowIncrement } from '@sg/room';
import { isRedisCluster, RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';
import { RATE_WINDOWS_LUA } from './rate-windows.lua';

/** Keys per script call: a long batch would hold Redis (single-threaded) for everyone. */
const MAX_KEYS_PER_CALL = 500;

/** A window's counter must outlive the next window, which reads it as its previous one. */
export function rateCounterTtlMs(windowMs: number): number {
  return 2 * windowMs + 1_000;
}

interface RateWindowCommands {
  sgRateWindows(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
}

/**
 * Rate-limit windows as Redis counters, added to by one Lua call per batch. A key's windows
 * share its hash tag; on a Redis Cluster each key of a batch is its own call (its own slot),
 * sent together.
 */
export class RedisRateLimitStore extends RateLimitStore {
  private readonly redis: RedisConnection & RateWindowCommands;
  private readonly ttlMs: number;
  private readonly perCall: number;

  constructor(redis: RedisConnection, windowMs = RATE_LIMIT_WINDOW_MS) {
    super();
    this.redis = redis as RedisConnection & RateWindowCommands;
    if (typeof this.redis.sgRateWindows !== 'function') redis.defineCommand('sgRateWindows', { lua: RATE_WINDOWS_LUA });
    this.ttlMs = rateCounterTtlMs(windowMs);
    this.perCall = isRedisCluster(redis) ? 1 : MAX_KEYS_PER_CALL;
  }

  async add(increments: readonly WindowIncrement[]): Promise<WindowCounts[]> {
    const calls: Array<Promise<WindowCounts[]>> = [];
    for (let start = 0; start < increments.length; start += this.perCall) calls.push(this.addChunk(increments.slice(start, start + this.perCall)));
    return (await Promise.all(calls)).flat();
  }

  private async addChunk(chunk: readonly WindowIncrement[]): Promise<WindowCounts[]> {
    const keys: string[] = [];
    const deltas: string[] = [];
    for (const { key, window, delta } of chunk) {
      keys.push(REDIS_KEYS.rateLimit(key, window), REDIS_KEYS.rateLimit(key, window - 1));
      deltas.push(String(delta));
    }
    const reply = await this.redis.sgRateWindows(keys.length, ...keys, String(this.ttlMs), ...deltas);
    return chunk.map((_, i) => ({ current: Number(reply[2 * i]), previous: Number(reply[2 * i + 1]) }));
  }
}
