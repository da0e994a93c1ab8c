import { SessionEventEntry, SessionEventSource } from '@sg/session';
import { isRedisCluster, RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';
import type { RedisShardLeases } from './redis-shard-leases';

export interface SessionEventSourceOptions {
  /** This instance's consumer name in the group. */
  readonly consumer: string;
  /** How often leases are renewed and rebalanced (well under their TTL). */
  readonly leaseRenewMs: number;
  /** Approximate cap on the dead-letter stream. */
  readonly deadLetterMaxLen: number;
}

type StreamReply = Array<[key: string, entries: Array<[id: string, fields: string[] | null]>]> | null;

/**
 * On a Redis Cluster each shard's stream is on its own slot and a read cannot span two, so
 * the owned shards are read one command each (together) without blocking, and a read that
 * finds nothing waits this long before the transport reads again: the indexing lag it adds
 * is at most this, well within INDEX_MAX_LAG_MS.
 */
const CLUSTER_POLL_MS = 50;

/**
 * The session event streams as one indexer instance reads them (Redis Streams,
 * consumer group `indexer`): only the shards it holds a lease on, its own
 * unacknowledged entries first (those claimed from a dead instance included), then
 * new ones. Acknowledged entries are deleted, so the streams stay small while
 * indexers keep up; the gateways' MAXLEN bounds them when none runs.
 * On one Redis, one XREADGROUP reads every owned shard and blocks on a connection of its own;
 * on a Redis Cluster, see `CLUSTER_POLL_MS`.
 */
export class RedisStreamSessionEventSource extends SessionEventSource {
  private lastSync = 0;
  /** A blocking XREADGROUP holds its connection, so it gets its own (one Redis only). */
  private readonly blocking: RedisConnection | null;

  constructor(
    private readonly redis: RedisConnection,
    private readonly leases: RedisShardLeases,
    private readonly options: SessionEventSourceOptions,
  ) {
    super();
    this.blocking = isRedisCluster(redis) ? null : redis.duplicate();
  }

  ownedShards(): readonly number[] {
    return this.leases.shards();
  }

  async read(maxEntries: number, blockMs: number): Promise<SessionEventEntry[]> {
    await this.syncLeasesIfDue();
    const shards = this.leases.shards();
    if (shards.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(blockMs, this.options.leaseRenewMs)));
      return [];
    }
    const keys = shards.map((shard) => REDIS_KEYS.sessionEvents(shard));
    const group = REDIS_KEYS.sessionEventsGroup;
    try {
      if (!this.blocking) return await this.readShardByShard(shards, keys, maxEntries, blockMs);
      const pending = (await this.redis.xreadgroup('GROUP', group, this.options.consumer, 'COUNT', maxEntries, 'STREAMS', ...keys, ...keys.map(() => '0'))) as StreamReply;
      const unacknowledged = toEntries(pending, shards, keys);
      if (unacknowledged.length > 0) return unacknowledged;
      const wait = Math.max(1, Math.min(blockMs, this.options.leaseRenewMs));
      const fresh = (await this.blocking.xreadgroup('GROUP', group, this.options.consumer, 'COUNT', maxEntries, 'BLOCK', wait, 'STREAMS', ...keys, ...keys.map(() => '>'))) as StreamReply;
      return toEntries(fresh, shards, keys);
    } catch (error) {
      // Redis restarted empty: the groups are gone with the streams
      if (error instanceof Error && error.message.startsWith('NOGROUP')) for (const shard of shards) await this.ensureGroup(shard);
      throw error;
    }
  }

  /** The owned shards one read each, unacknowledged entries first; waits `CLUSTER_POLL_MS` when all are empty. */
  private async readShardByShard(shards: readonly number[], keys: readonly string[], maxEntries: number, blockMs: number): Promise<SessionEventEntry[]> {
    const group = REDIS_KEYS.sessionEventsGroup;
    const readAll = async (from: '0' | '>') => {
      const replies = await Promise.all(keys.map((key) => this.redis.xreadgroup('GROUP', group, this.options.consumer, 'COUNT', maxEntries, 'STREAMS', key, from) as Promise<StreamReply>));
      return replies.flatMap((reply) => toEntries(reply, shards, keys));
    };
    const unacknowledged = await readAll('0');
    if (unacknowledged.length > 0) return unacknowledged;
    const fresh = await readAll('>');
    if (fresh.length === 0) await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(blockMs, CLUSTER_POLL_MS))));
    return fresh;
  }

  async ack(entries: readonly SessionEventEntry[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const entry of entries) byShard.set(entry.shard, [...(byShard.get(entry.shard) ?? []), entry.id]);
    // each shard's acknowledgement and deletion on its own slot
    await Promise.all(
      [...byShard].map(async ([shard, ids]) => {
        const pipeline = this.redis.pipeline();
        pipeline.xack(REDIS_KEYS.sessionEvents(shard), REDIS_KEYS.sessionEventsGroup, ...ids);
        pipeline.xdel(REDIS_KEYS.sessionEvents(shard), ...ids);
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) if (error) throw error;
      }),
    );
  }

  async deadLetter(entry: SessionEventEntry, index: number | null, event: unknown, error: string): Promise<void> {
    await this.redis.xadd(
      REDIS_KEYS.sessionEventsDeadLetter,
      'MAXLEN',
      '~',
      String(this.options.deadLetterMaxLen),
      '*',
      'stream',
      REDIS_KEYS.sessionEvents(entry.shard),
      'id',
      entry.id,
      'index',
      index === null ? '' : String(index),
      'error',
      error,
      'event',
      typeof event === 'string' ? event : JSON.stringify(event) ?? '',
    );
  }

  async close(): Promise<void> {
    try {
      await this.leases.releaseAll();
    } finally {
      this.blocking?.disconnect();
    }
  }

  /** Total unacknowledged entries of this instance's shards, for metrics. */
  async pendingEntries(): Promise<number> {
    let total = 0;
    for (const shard of this.leases.shards()) {
      try {
        const summary = (await this.redis.xpending(REDIS_KEYS.sessionEvents(shard), REDIS_KEYS.sessionEventsGroup)) as [number, ...unknown[]];
        total += Number(summary[0]);
      } catch {
        // a group not created yet has nothing pending
      }
    }
    return total;
  }

  /**
   * Entries of this instance's shards not acknowledged yet, read or not: acknowledged
   * entries are deleted, so a stream's length is its backlog. Grows when indexing falls behind.
   */
  async backlogEntries(): Promise<number> {
    const shards = this.leases.shards();
    if (shards.length === 0) return 0;
    const lengths = await Promise.all(shards.map((shard) => this.redis.xlen(REDIS_KEYS.sessionEvents(shard)).catch(() => 0)));
    return lengths.reduce((total, length) => total + length, 0);
  }

  private async syncLeasesIfDue(): Promise<void> {
    if (Date.now() - this.lastSync < this.options.leaseRenewMs) return;
    this.lastSync = Date.now();
    const { acquired } = await this.leases.sync();
    for (const shard of acquired) {
      await this.ensureGroup(shard);
      await this.claimPending(shard);
    }
  }

  private async ensureGroup(shard: number): Promise<void> {
    try {
      // from the start: events written before any indexer ran are indexed too
      await this.redis.xgroup('CREATE', REDIS_KEYS.sessionEvents(shard), REDIS_KEYS.sessionEventsGroup, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  /** Takes over what the shard's previous holder read but did not acknowledge (it died or gave the shard up mid-batch). */
  private async claimPending(shard: number): Promise<void> {
    let cursor = '0-0';
    do {
      const reply = (await this.redis.xautoclaim(REDIS_KEYS.sessionEvents(shard), REDIS_KEYS.sessionEventsGroup, this.options.consumer, 0, cursor, 'COUNT', 500, 'JUSTID')) as [string, ...unknown[]];
      cursor = reply[0];
    } while (cursor !== '0-0');
  }
}

function toEntries(reply: StreamReply, shards: readonly number[], keys: readonly string[]): SessionEventEntry[] {
  const entries: SessionEventEntry[] = [];
  for (const [key, items] of reply ?? []) {
    const shard = shards[keys.indexOf(key)];
    for (const [id, fields] of items) {
      const entry: SessionEventEntry = { shard, id, payload: field(fields, 'b') };
      const writer = field(fields, 'w');
      const seqs = field(fields, 's');
      if (writer !== null && seqs !== null && /^\d+(,\d+)*$/.test(seqs)) entry.origin = { writer, seqs: seqs.split(',').map(Number) };
      entries.push(entry);
    }
  }
  return entries;
}

/** A field of an entry (`[name, value, name, value, ...]`); null for a trimmed entry or a missing field. */
function field(fields: string[] | null, name: string): string | null {
  if (!fields) return null;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return null;
}
