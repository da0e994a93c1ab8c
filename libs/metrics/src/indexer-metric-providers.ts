import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { INDEX_LAG_BUCKETS, METRIC, STORE_WRITE_BUCKETS } from './metric-names';

/** The indexer's metrics as Nest providers (inject with @InjectMetric(METRIC.x)). */
export const indexerMetricProviders = [
  makeCounterProvider({ name: METRIC.indexerEventsConsumedTotal, help: 'Session events read from the streams and folded.' }),
  makeHistogramProvider({
    name: METRIC.indexerBatchEntries,
    help: 'Stream entries (gateway batches) per indexer batch.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 200, 500, 1000],
  }),
  makeHistogramProvider({ name: METRIC.indexerStoreWriteSeconds, help: 'Time to write one batch of sessions to the store.', buckets: STORE_WRITE_BUCKETS }),
  makeGaugeProvider({ name: METRIC.indexerPendingEntries, help: "Entries read but not yet acknowledged in this instance's shards." }),
  makeGaugeProvider({
    name: METRIC.indexerBacklogEntries,
    help: "Entries in this instance's shards not yet acknowledged, read or not (the consumer group's lag plus pending).",
  }),
  makeHistogramProvider({ name: METRIC.indexerLagSeconds, help: 'From an event at the gateway to its session written to the store.', buckets: INDEX_LAG_BUCKETS }),
  makeGaugeProvider({ name: METRIC.indexerLagTargetSeconds, help: 'The promised lag (INDEX_MAX_LAG_MS), for alert rules.' }),
  makeCounterProvider({ name: METRIC.indexerDeadLettersTotal, help: 'Events that could not be indexed, sent to the dead-letter stream.' }),
  makeCounterProvider({ name: METRIC.indexerDeadlinesFiredTotal, help: 'Sessions re-evaluated because a no-answer or ICE deadline fell due.' }),
  makeCounterProvider({ name: METRIC.indexerRetriesTotal, help: 'Failed Redis or store operations, retried before acknowledging.', labelNames: ['stage'] }),
  makeGaugeProvider({ name: METRIC.indexerOwnedShards, help: 'Session event shards this instance reads.' }),
  makeCounterProvider({ name: METRIC.indexerSessionsDeletedTotal, help: 'Ended sessions deleted by retention.' }),
];
