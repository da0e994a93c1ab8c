import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { METRIC } from '@sg/metrics';
import type { SessionIndexerObserver } from '@sg/session';
import { Counter, Gauge, Histogram } from 'prom-client';
import { IndexerConfig } from '../config/indexer-config';

/** The indexer's metrics, fed by the indexing loop. */
/** The stages that retry before acknowledging: the transport's (read, handler, ack) and the indexer's. */
const INDEXER_RETRY_STAGES = ['read', 'handler', 'ack', 'deadlines', 'dead-letter', 'load peers', 'load sessions', 'save peers', 'store write'];

@Injectable()
export class IndexerMetrics implements SessionIndexerObserver {
  private readonly logger = new Logger('SessionIndexer');
  private lastRetryLog = 0;

  constructor(
    config: IndexerConfig,
    @InjectMetric(METRIC.indexerEventsConsumedTotal) private readonly consumed: Counter,
    @InjectMetric(METRIC.indexerBatchEntries) private readonly batchEntries: Histogram,
    @InjectMetric(METRIC.indexerStoreWriteSeconds) private readonly storeWriteSeconds: Histogram,
    @InjectMetric(METRIC.indexerPendingEntries) readonly pendingEntries: Gauge,
    @InjectMetric(METRIC.indexerBacklogEntries) readonly backlogEntries: Gauge,
    @InjectMetric(METRIC.indexerLagSeconds) private readonly lagSeconds: Histogram,
    @InjectMetric(METRIC.indexerLagTargetSeconds) lagTarget: Gauge,
    @InjectMetric(METRIC.indexerDeadLettersTotal) private readonly deadLetters: Counter,
    @InjectMetric(METRIC.indexerDeadlinesFiredTotal) private readonly deadlines: Counter,
    @InjectMetric(METRIC.indexerRetriesTotal) private readonly retries: Counter<'stage'>,
    @InjectMetric(METRIC.indexerOwnedShards) readonly ownedShards: Gauge,
    @InjectMetric(METRIC.indexerSessionsDeletedTotal) readonly sessionsDeleted: Counter,
  ) {
    lagTarget.set(config.indexing.maxLagMs / 1000);
    // every stage's series exists from start-up at 0, so increase() sees the first retry
    for (const stage of INDEXER_RETRY_STAGES) retries.inc({ stage }, 0);
  }

  batch(entries: number, events: number): void {
    this.batchEntries.observe(entries);
    this.consumed.inc(events);
  }

  lag(seconds: number): void {
    this.lagSeconds.observe(seconds);
  }

  storeWrite(seconds: number): void {
    this.storeWriteSeconds.observe(seconds);
  }

  deadLettered(events: number): void {
    this.deadLetters.inc(events);
    this.logger.warn(`${events} session events could not be indexed and went to the dead-letter stream`);
  }

  deadlinesFired(sessions: number): void {
    this.deadlines.inc(sessions);
  }

  retry(stage: string, error: unknown): void {
    this.retries.labels(stage).inc();
    // an outage retries many times a second: one line per 5 s says enough
    if (Date.now() - this.lastRetryLog < 5_000) return;
    this.lastRetryLog = Date.now();
    this.logger.warn(`${stage} failed, retrying before acknowledging: ${error instanceof Error ? error.message : String(error)}`);
  }
}
