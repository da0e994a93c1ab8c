import { SessionEventEntry, SessionEventSource } from '@sg/session';
import type Redis from 'ioredis';
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
 * The session event streams as one indexer instance reads them (Redis Streams,
 * consumer group `indexer`): only the shards it holds a lease on, its own
 * unacknowledged entries first (those claimed from a dead instance included), then
 * new ones. Acknowledged entries are deleted, so the streams stay small while
 * indexers keep up; the gateways' MAXLEN bounds them when none runs.
 */
export class RedisStreamSessionEventSource extends SessionEventSource {
  private lastSync = 0;
  /** A blocking XREADGROUP holds its connection, so it gets its own. */
  private readonly blocking: Redis;

  constructor(
    private readonly redis: Redis,
    private readonly leases: RedisShardLeases,
    private readonly options: SessionEventSourceOptions,
  ) {
    super();
    this.blocking = redis.duplicate();
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

  async ack(entries: readonly SessionEventEntry[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const entry of entries) byShard.set(entry.shard, [...(byShard.get(entry.shard) ?? []), entry.id]);
    const pipeline = this.redis.pipeline();
    for (const [shard, ids] of byShard) {
      pipeline.xack(REDIS_KEYS.sessionEvents(shard), REDIS_KEYS.sessionEventsGroup, ...ids);
      pipeline.xdel(REDIS_KEYS.sessionEvents(shard), ...ids);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
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
      this.blocking.disconnect();
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
    const pipeline = this.redis.pipeline();
    for (const shard of shards) pipeline.xlen(REDIS_KEYS.sessionEvents(shard));
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((total, [error, length]) => (error ? total : total + Number(length)), 0);
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
