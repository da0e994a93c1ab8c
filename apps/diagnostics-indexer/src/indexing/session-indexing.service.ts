import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RedisStreamSessionEventSource } from '@sg/cluster';
import { SessionEventSource, SessionIndexer } from '@sg/session';
import { IndexerMetrics } from './indexer-metrics';

/**
 * Runs the indexer's deadline clock and the stream gauges for the app's lifetime. The
 * streams themselves are read by `RedisStreamsTransport` (connected in main.ts), which
 * Nest closes after this service's shutdown hook and which releases the shards.
 */
@Injectable()
export class SessionIndexingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionIndexingService.name);
  private deadlines: Promise<void> | null = null;
  private gauges: NodeJS.Timeout | null = null;

  constructor(
    private readonly indexer: SessionIndexer,
    private readonly source: SessionEventSource,
    private readonly metrics: IndexerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.deadlines = this.indexer.runDeadlines().catch((error: unknown) => this.logger.error(`deadline clock stopped: ${String(error)}`));
    this.gauges = setInterval(() => void this.updateGauges(), 5_000);
    this.gauges.unref();
  }

  /**
   * Before the transport closes and before any connection closes (the store and Redis close
   * after both): the deadline round under way is written, and from now on a failing write
   * fails its batch instead of retrying, so the transport's close does not wait on an outage.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.gauges) clearInterval(this.gauges);
    this.indexer.stop();
    await this.deadlines;
  }

  private async updateGauges(): Promise<void> {
    this.metrics.ownedShards.set(this.source.ownedShards().length);
    if (this.source instanceof RedisStreamSessionEventSource) {
      this.metrics.pendingEntries.set(await this.source.pendingEntries().catch(() => 0));
      this.metrics.backlogEntries.set(await this.source.backlogEntries().catch(() => 0));
    }
  }
}
