import type { SessionId } from '@sg/schema';
import { DueSession, SessionDeadlines } from '@sg/session';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';

/** Deadlines in one sorted set per shard (score: Unix ms), read by the shard's current holder. */
export class RedisSessionDeadlines extends SessionDeadlines {
  constructor(private readonly redis: Redis) {
    super();
  }

  async schedule(shard: number, deadlines: ReadonlyMap<SessionId, number | null>): Promise<void> {
    const key = REDIS_KEYS.sessionDeadlines(shard);
    const pipeline = this.redis.pipeline();
    for (const [sessionId, at] of deadlines) {
      if (at === null) pipeline.zrem(key, sessionId);
      else pipeline.zadd(key, at, sessionId);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }

  async due(shards: readonly number[], now: number, limit: number): Promise<DueSession[]> {
    const pipeline = this.redis.pipeline();
    for (const shard of shards) pipeline.zrangebyscore(REDIS_KEYS.sessionDeadlines(shard), '-inf', now, 'LIMIT', 0, limit);
    const results = (await pipeline.exec()) ?? [];
    const due: DueSession[] = [];
    results.forEach(([error, ids], i) => {
      if (error) throw error;
      for (const sessionId of ids as string[]) due.push({ shard: shards[i], sessionId: sessionId as SessionId });
    });
    return due.slice(0, limit);
  }

  async earliest(shards: readonly number[]): Promise<number | null> {
    const pipeline = this.redis.pipeline();
    for (const shard of shards) pipeline.zrange(REDIS_KEYS.sessionDeadlines(shard), 0, 0, 'WITHSCORES');
    const results = (await pipeline.exec()) ?? [];
    let earliest: number | null = null;
    for (const [error, reply] of results) {
      if (error) throw error;
      const [, score] = reply as string[];
      if (score !== undefined && (earliest === null || Number(score) < earliest)) earliest = Number(score);
    }
    return earliest;
  }
}
