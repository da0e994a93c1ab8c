import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DrainState } from './drain-state';
import { HealthController } from './health.controller';
import { READINESS_CHECKS, ReadinessChecks } from './readiness-checks';
import { RedisHealthIndicator } from './redis.health';

export interface PlatformHealthOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  /** Readiness checks beyond Redis and drain state (e.g. the session store). */
  readinessChecks?: (...deps: never[]) => ReadinessChecks;
}

/** /healthz and /readyz for every app; needs PlatformRedisModule. */
@Module({})
export class PlatformHealthModule {
  static forRoot(options: PlatformHealthOptions = {}): DynamicModule {
    return {
      module: PlatformHealthModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        RedisHealthIndicator,
        DrainState,
        {
          provide: READINESS_CHECKS,
          inject: options.inject ?? [],
          useFactory: options.readinessChecks ?? (() => []),
        },
      ],
      exports: [DrainState, RedisHealthIndicator],
    };
  }
}
