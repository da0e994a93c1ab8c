import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RedisStreamSessionEventSource } from '@sg/cluster';
import { SessionEventSource, SessionIndexer } from '@sg/session';
import { IndexerMetrics } from './indexer-metrics';

/** Runs the indexing loop for the app's lifetime and hands shards over on shutdown. */
@Injectable()
export class SessionIndexingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionIndexingService.name);
  private running: Promise<void> | null = null;
  private gauges: NodeJS.Timeout | null = null;

  constructor(
    private readonly indexer: SessionIndexer,
    private readonly source: SessionEventSource,
    private readonly metrics: IndexerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.indexer.run().catch((error: unknown) => this.logger.error(`indexing stopped: ${String(error)}`));
    this.gauges = setInterval(() => void this.updateGauges(), 5_000);
    this.gauges.unref();
  }

  /** Before any connection closes: the store (SessionStoreModule) and Redis close after this. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.gauges) clearInterval(this.gauges);
    this.indexer.stop();
    // the batch under way is written and acknowledged before the shards are released
    await this.running;
    await this.source.close().catch((error: unknown) => this.logger.warn(`could not release shards: ${String(error)}`));
  }

  private async updateGauges(): Promise<void> {
    this.metrics.ownedShards.set(this.source.ownedShards().length);
    if (this.source instanceof RedisStreamSessionEventSource) {
      this.metrics.pendingEntries.set(await this.source.pendingEntries().catch(() => 0));
      this.metrics.backlogEntries.set(await this.source.backlogEntries().catch(() => 0));
    }
  }
}
