import { Provider } from '@nestjs/common';
import { RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSource } from '@sg/cluster';
import { REDIS_COMMANDS } from '@sg/platform';
import { PeerRecordStore, SessionDeadlines, SessionEventSource, SessionIndexer, SessionStore } from '@sg/session';
import type Redis from 'ioredis';
import { IndexerConfig } from '../config/indexer-config';
import { IndexerMetrics } from './indexer-metrics';

/** The one factory that binds the indexer's ports to Redis and the configured store. */
export const sessionIndexingProviders: Provider[] = [
  IndexerMetrics,
  {
    provide: SessionEventSource,
    inject: [REDIS_COMMANDS, IndexerConfig],
    useFactory: (redis: Redis, config: IndexerConfig) =>
      new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, config.nodeId, { ttlMs: config.indexing.leaseTtlMs }), {
        consumer: config.nodeId,
        // renewing three times per TTL survives one slow round
        leaseRenewMs: Math.floor(config.indexing.leaseTtlMs / 3),
        deadLetterMaxLen: 100_000,
      }),
  },
  {
    provide: PeerRecordStore,
    inject: [REDIS_COMMANDS],
    // a day outlives any call; a departed peer's record only waits for its partners' late events
    useFactory: (redis: Redis) => new RedisPeerRecordStore(redis, { ttlSeconds: 86_400, leftTtlSeconds: 600 }),
  },
  { provide: SessionDeadlines, inject: [REDIS_COMMANDS], useFactory: (redis: Redis) => new RedisSessionDeadlines(redis) },
  {
    provide: SessionIndexer,
    inject: [SessionEventSource, SessionStore, PeerRecordStore, SessionDeadlines, IndexerConfig, IndexerMetrics],
    useFactory: (source: SessionEventSource, store: SessionStore, peers: PeerRecordStore, deadlines: SessionDeadlines, config: IndexerConfig, metrics: IndexerMetrics) =>
      new SessionIndexer(
        source,
        store,
        peers,
        deadlines,
        {
          rules: config.rules,
          batchEntries: config.indexing.batchEntries,
          // waiting longer than a quarter of the lag promise would spend it on idling
          idleWaitMs: Math.min(500, Math.floor(config.indexing.maxLagMs / 4)),
          retryDelayMs: 100,
        },
        metrics,
      ),
  },
];
