import type { HealthIndicatorFunction } from '@nestjs/terminus';

/** DI token: extra readiness checks an app adds to Redis and drain state. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export type ReadinessChecks = HealthIndicatorFunction[];
