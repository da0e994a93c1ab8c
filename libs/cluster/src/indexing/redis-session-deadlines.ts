import type { SessionId } from '@sg/schema';
import { DueSession, SessionDeadlines } from '@sg/session';
import type { RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';

/** Deadlines in one sorted set per shard (score: Unix ms, on the shard's slot), read by the shard's current holder. */
export class RedisSessionDeadlines extends SessionDeadlines {
  constructor(private readonly redis: RedisConnection) {
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
    const results = await Promise.all(shards.map((shard) => this.redis.zrangebyscore(REDIS_KEYS.sessionDeadlines(shard), '-inf', now, 'LIMIT', 0, limit)));
    const due: DueSession[] = [];
    results.forEach((ids, i) => {
      for (const sessionId of ids) due.push({ shard: shards[i], sessionId: sessionId as SessionId });
    });
    return due.slice(0, limit);
  }

  async earliest(shards: readonly number[]): Promise<number | null> {
    const results = await Promise.all(shards.map((shard) => this.redis.zrange(REDIS_KEYS.sessionDeadlines(shard), 0, 0, 'WITHSCORES')));
    let earliest: number | null = null;
    for (const reply of results) {
      const [, score] = reply;
      if (score !== undefined && (earliest === null || Number(score) < earliest)) earliest = Number(score);
    }
    return earliest;
  }
}
