import { Provider } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type RedisConnection, RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSource, RedisStreamsTransport } from '@sg/cluster';
import { REDIS_COMMANDS } from '@sg/platform';
import { IndexedSessionEvents, PeerRecordStore, SESSION_EVENTS_PATTERN, SessionDeadlines, SessionEventSource, SessionIndexer, SessionIndexerObserver, SessionStore } from '@sg/session';
import { CallQualityMetrics } from '../call-quality/call-quality-metrics';
import { CallQualityRecordingStore } from '../call-quality/call-quality-recording-store';
import { IndexerConfig } from '../config/indexer-config';
import { traceSessionWrites } from '../tracing/tracing-session-store';
import { IndexerMetrics } from './indexer-metrics';

const RETRY_DELAY_MS = 100;

/** Longest wait for new entries or the next deadline: waiting longer than a quarter of the lag promise would spend it on idling. */
function idleWaitMs(config: IndexerConfig): number {
  return Math.min(500, Math.floor(config.indexing.maxLagMs / 4));
}

/** The one factory that binds the indexer's ports to Redis and the configured store, and its transport to the streams. */
export const sessionIndexingProviders: Provider[] = [
  IndexerMetrics,
  {
    provide: SessionEventSource,
    inject: [REDIS_COMMANDS, IndexerConfig],
    useFactory: (redis: RedisConnection, config: IndexerConfig) =>
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
    useFactory: (redis: RedisConnection) => new RedisPeerRecordStore(redis, { ttlSeconds: 86_400, leftTtlSeconds: 600 }),
  },
  { provide: SessionDeadlines, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisSessionDeadlines(redis) },
  {
    provide: SessionIndexer,
    inject: [SessionEventSource, SessionStore, PeerRecordStore, SessionDeadlines, IndexerConfig, IndexerMetrics, CallQualityMetrics],
    useFactory: (source: SessionEventSource, store: SessionStore, peers: PeerRecordStore, deadlines: SessionDeadlines, config: IndexerConfig, metrics: IndexerMetrics, callQuality: CallQualityMetrics) =>
      new SessionIndexer(
        source,
        // with tracing on, each session's write is a span in its trace
        new CallQualityRecordingStore(traceSessionWrites(config.tracing ? trace.getTracer('diagnostics-indexer') : null, store, config.nodeId), config.rules, callQuality),
        peers,
        deadlines,
        { rules: config.rules, batchEntries: config.indexing.batchEntries, idleWaitMs: idleWaitMs(config), retryDelayMs: RETRY_DELAY_MS },
        metrics,
      ),
  },
  {
    // main.ts connects it as the app's microservice transport; SessionEventsController handles its batches
    provide: RedisStreamsTransport,
    inject: [SessionEventSource, SessionIndexer, IndexerConfig, IndexerMetrics],
    useFactory: (source: SessionEventSource, indexer: SessionIndexer, config: IndexerConfig, metrics: IndexerMetrics) =>
      observeSessionEventsTransport(
        new RedisStreamsTransport(source, { batchEntries: config.indexing.batchEntries, blockMs: idleWaitMs(config), retryDelayMs: RETRY_DELAY_MS }),
        indexer,
        metrics,
      ),
  },
];

/** Counts the transport's retries, and reports each acknowledged batch to the indexer. */
export function observeSessionEventsTransport(transport: RedisStreamsTransport, indexer: SessionIndexer, observer: Pick<SessionIndexerObserver, 'retry'>): RedisStreamsTransport {
  transport.on('retry', (stage, error) => observer.retry(stage, error));
  // counted, and its lag measured, once acknowledged: consumed means written and acknowledged
  transport.on('acknowledged', (_entries, result) => {
    if (!(result instanceof IndexedSessionEvents)) throw new Error(`the ${SESSION_EVENTS_PATTERN} handler resolved to no IndexedSessionEvents`);
    indexer.acknowledged(result);
  });
  return transport;
}
