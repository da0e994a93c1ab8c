import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DrainState } from './drain-state';
import { READINESS_CHECKS, ReadinessChecks } from './readiness-checks';
import { RedisHealthIndicator } from './redis.health';

/** Liveness and readiness probes (PROTOCOL: every app serves /healthz and /readyz). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealthIndicator,
    private readonly drain: DrainState,
    @Inject(READINESS_CHECKS) private readonly extraChecks: ReadinessChecks,
  ) {}

  /** 200 while the process runs: the event loop answers. */
  @Get('healthz')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when dependencies answer and not draining; else 503 naming what is down. */
  @Get('readyz')
  @HealthCheck()
  readiness() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('drain');
        return this.drain.isDraining ? indicator.down({ message: 'draining' }) : indicator.up();
      },
      () => this.redis.isHealthy('redis'),
      ...this.extraChecks,
    ]);
  }
}
