import { PeerKey, PeerRecord, PeerRecordStore } from '@sg/session';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';

export interface PeerRecordStoreOptions {
  /** How long a present peer's record lives after its last change. */
  readonly ttlSeconds: number;
  /** How long a departed peer's record is kept, for events its partners' nodes flush late. */
  readonly leftTtlSeconds: number;
}

/** Peer records as JSON strings with a TTL, so the memory of peers who left is bounded. */
export class RedisPeerRecordStore extends PeerRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: PeerRecordStoreOptions,
  ) {
    super();
  }

  async load(keys: readonly PeerKey[]): Promise<Map<PeerKey, PeerRecord>> {
    const records = new Map<PeerKey, PeerRecord>();
    if (keys.length === 0) return records;
    const values = await this.redis.mget(keys.map((key) => REDIS_KEYS.indexerPeer(key)));
    keys.forEach((key, i) => {
      const value = values[i];
      if (value) records.set(key, JSON.parse(value) as PeerRecord);
    });
    return records;
  }

  async save(records: ReadonlyMap<PeerKey, PeerRecord>): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [key, record] of records) {
      pipeline.set(REDIS_KEYS.indexerPeer(key), JSON.stringify(record), 'EX', record.left ? this.options.leftTtlSeconds : this.options.ttlSeconds);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }
}
