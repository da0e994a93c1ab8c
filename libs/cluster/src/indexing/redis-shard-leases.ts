import { randomInt } from 'node:crypto';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import type { RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';
import { SESSION_EVENT_SHARDS } from '../events/session-event-shards';

export interface ShardLeaseOptions {
  /** A lease not renewed for this long is free: how long a dead indexer's shards wait. */
  readonly ttlMs: number;
}

export interface LeaseChanges {
  acquired: number[];
  lost: number[];
}

/**
 * Which session event shards this indexer instance reads. Each shard has one holder
 * at a time (a lease with a TTL, renewed while the holder lives), and live instances
 * take an equal share: an instance above its share releases shards, one below takes
 * free ones, so a second indexer halves the load and a dead one's shards move on.
 */
export class RedisShardLeases {
  private readonly owned = new Set<number>();
  private readonly redis: ClusterRedis;

  constructor(
    redis: RedisConnection,
    private readonly instance: string,
    private readonly options: ShardLeaseOptions,
  ) {
    this.redis = defineClusterCommands(redis);
  }

  shards(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** Renews, releases above the fair share, and takes free shards up to it. */
  async sync(): Promise<LeaseChanges> {
    const now = Date.now();
    const held = this.shards();
    // the instances set is one key; each lease is on its shard's slot
    const pipeline = this.redis.pipeline();
    pipeline.zadd(REDIS_KEYS.indexers, now, this.instance);
    pipeline.zremrangebyscore(REDIS_KEYS.indexers, '-inf', now - this.options.ttlMs);
    pipeline.zcard(REDIS_KEYS.indexers);
    const [results, renewed] = await Promise.all([
      pipeline.exec().then((replies) => replies ?? []),
      Promise.all(held.map((shard) => this.redis.sgRenewLease(REDIS_KEYS.indexerShardLease(shard), this.instance, String(this.options.ttlMs)))),
    ]);
    for (const [error] of results) if (error) throw error;
    const live = Math.max(1, Number(results[2][1]));
    const changes: LeaseChanges = { acquired: [], lost: [] };
    held.forEach((shard, i) => {
      if (Number(renewed[i]) === 1) return;
      this.owned.delete(shard);
      changes.lost.push(shard);
    });
    const fairShare = Math.ceil(SESSION_EVENT_SHARDS / live);
    for (const shard of this.shards().reverse()) {
      if (this.owned.size <= fairShare) break;
      await this.release(shard);
      changes.lost.push(shard);
    }
    if (this.owned.size < fairShare) {
      const free = shuffled(Array.from({ length: SESSION_EVENT_SHARDS }, (_, shard) => shard).filter((shard) => !this.owned.has(shard)));
      for (const shard of free) {
        if (this.owned.size >= fairShare) break;
        const taken = await this.redis.set(REDIS_KEYS.indexerShardLease(shard), this.instance, 'PX', this.options.ttlMs, 'NX');
        if (taken !== 'OK') continue;
        this.owned.add(shard);
        changes.acquired.push(shard);
      }
    }
    return changes;
  }

  /** Gives every shard back at once, so other instances take over without waiting for the TTL. */
  async releaseAll(): Promise<void> {
    for (const shard of this.shards()) await this.release(shard);
    await this.redis.zrem(REDIS_KEYS.indexers, this.instance);
  }

  private async release(shard: number): Promise<void> {
    this.owned.delete(shard);
    await this.redis.sgReleaseLease(REDIS_KEYS.indexerShardLease(shard), this.instance);
  }
}

/** Instances try free shards in different orders, so they rarely contend for the same one. */
function shuffled<T>(values: T[]): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}
