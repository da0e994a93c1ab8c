import { PeerKey, PeerRecord, PeerRecordStore } from '@sg/session';
import { sessionEventShardOf } from '../events/session-event-shards';
import type { RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';

export interface PeerRecordStoreOptions {
  /** How long a present peer's record lives after its last change. */
  readonly ttlSeconds: number;
  /** How long a departed peer's record is kept, for events its partners' nodes flush late. */
  readonly leftTtlSeconds: number;
}

/**
 * Peer records as JSON strings with a TTL, so the memory of peers who left is bounded. A
 * record lives on its room's shard's slot (`room/peer` keys), next to the shard's stream,
 * so one MGET or pipeline per shard reads or writes a batch on a Redis Cluster too.
 */
export class RedisPeerRecordStore extends PeerRecordStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: PeerRecordStoreOptions,
  ) {
    super();
  }

  async load(keys: readonly PeerKey[]): Promise<Map<PeerKey, PeerRecord>> {
    const records = new Map<PeerKey, PeerRecord>();
    await Promise.all(
      [...byShard(keys)].map(async ([shard, ofShard]) => {
        const values = await this.redis.mget(ofShard.map((key) => REDIS_KEYS.indexerPeer(shard, key)));
        ofShard.forEach((key, i) => {
          const value = values[i];
          if (value) records.set(key, JSON.parse(value) as PeerRecord);
        });
      }),
    );
    return records;
  }

  async save(records: ReadonlyMap<PeerKey, PeerRecord>): Promise<void> {
    await Promise.all(
      [...byShard([...records.keys()])].map(async ([shard, ofShard]) => {
        const pipeline = this.redis.pipeline();
        for (const key of ofShard) {
          const record = records.get(key) as PeerRecord;
          pipeline.set(REDIS_KEYS.indexerPeer(shard, key), JSON.stringify(record), 'EX', record.left ? this.options.leftTtlSeconds : this.options.ttlSeconds);
        }
        const results = (await pipeline.exec()) ?? [];
        for (const [error] of results) if (error) throw error;
      }),
    );
  }
}

/** Peer keys (`room/peer`) grouped by their room's session events shard. */
function byShard(keys: readonly PeerKey[]): Map<number, PeerKey[]> {
  const groups = new Map<number, PeerKey[]>();
  for (const key of keys) {
    const shard = sessionEventShardOf(key.slice(0, key.indexOf('/')));
    groups.set(shard, [...(groups.get(shard) ?? []), key]);
  }
  return groups;
}
