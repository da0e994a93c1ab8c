import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SessionStore } from '@sg/session';
import { IndexerConfig } from '../config/indexer-config';
import { IndexerMetrics } from '../indexing/indexer-metrics';

const DAY_MS = 86_400_000;

/**
 * Deletes ended sessions older than SESSION_TTL_DAYS (PROTOCOL section 2) on a schedule.
 * Every indexer instance runs it; deleting is idempotent, so replicas only repeat work.
 */
@Injectable()
export class SessionRetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionRetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly store: SessionStore,
    private readonly config: IndexerConfig,
    private readonly metrics: IndexerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.config.retention.intervalMs);
    this.timer.unref();
    // a first sweep shortly after start, so a restart loop cannot postpone retention forever
    setTimeout(() => void this.sweep(), Math.min(10_000, this.config.retention.intervalMs)).unref();
  }

  /** A sweep under way finishes before the store closes (SessionStoreModule). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass; returns how many sessions were deleted. */
  async sweep(now = Date.now()): Promise<number> {
    if (this.sweeping) return 0;
    let deleted = 0;
    this.sweeping = (async () => {
      try {
        deleted = await this.store.deleteEndedBefore((now - this.config.retention.ttlDays * DAY_MS) / 1000);
        this.metrics.sessionsDeleted.inc(deleted);
        if (deleted > 0) this.logger.log(`retention deleted ${deleted} sessions ended over ${this.config.retention.ttlDays} days ago`);
      } catch (error) {
        this.logger.warn(`retention sweep failed, next one in ${this.config.retention.intervalMs} ms: ${String(error)}`);
      } finally {
        this.sweeping = null;
      }
    })();
    await this.sweeping;
    return deleted;
  }
}
