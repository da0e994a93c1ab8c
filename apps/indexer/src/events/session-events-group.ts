import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { REDIS_KEYS } from '@sg/cluster';
import { REDIS_COMMANDS } from '@sg/platform';
import type Redis from 'ioredis';

/**
 * The indexer's consumer group on the session events stream. Created from the
 * stream's start on first boot, so events gateways wrote before any indexer
 * ran are kept for it rather than lost.
 */
@Injectable()
export class SessionEventsGroup implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionEventsGroup.name);

  constructor(
    @Inject(REDIS_COMMANDS) private readonly redis: Redis,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensure();
    } catch (error) {
      // readiness reports it until Redis is back; the check creates it then
      this.logger.warn(`session events group not created yet: ${String(error)}`);
    }
  }

  /** Readiness: the group exists, so gateway events are retained for this indexer. */
  async isHealthy(key = 'session-events') {
    const indicator = this.indicators.check(key);
    try {
      await this.ensure();
      const pending = (await this.redis.xpending(REDIS_KEYS.sessionEvents, REDIS_KEYS.sessionEventsGroup)) as [number, ...unknown[]];
      return indicator.up({ pending: pending[0] });
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unavailable' });
    }
  }

  private async ensure(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', REDIS_KEYS.sessionEvents, REDIS_KEYS.sessionEventsGroup, '0', 'MKSTREAM');
      this.logger.log(`created consumer group "${REDIS_KEYS.sessionEventsGroup}" on ${REDIS_KEYS.sessionEvents}`);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }
}
