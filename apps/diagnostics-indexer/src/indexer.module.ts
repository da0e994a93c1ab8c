import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { indexerMetricProviders, PlatformMetricsModule } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule, SessionStoreModule, sessionStoreReadiness } from '@sg/platform';
import { SessionStore } from '@sg/session';
import { callQualityProviders } from './call-quality/call-quality.providers';
import { IndexerConfig } from './config/indexer-config';
import { SessionEventsController } from './indexing/session-events.controller';
import { sessionIndexingProviders } from './indexing/session-indexing.providers';
import { SessionIndexingService } from './indexing/session-indexing.service';
import { SessionRetentionService } from './retention/session-retention.service';

/** Indexing (the streams' transport, its handler and the deadline clock) and retention, on the configured session store. */
@Module({})
class SessionIndexingModule {
  static forRoot(config: IndexerConfig, store: DynamicModule): DynamicModule {
    return {
      module: SessionIndexingModule,
      imports: [store],
      controllers: [SessionEventsController],
      providers: [{ provide: IndexerConfig, useValue: config }, ...indexerMetricProviders, ...callQualityProviders, ...sessionIndexingProviders, SessionIndexingService, SessionRetentionService],
    };
  }
}

/** Composition root of the indexer. */
@Module({})
export class IndexerModule {
  static forRoot(config: IndexerConfig): DynamicModule {
    const store = SessionStoreModule.forRoot(config.store);
    return {
      module: IndexerModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ indexer: config })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, format: config.logFormat, app: 'diagnostics-indexer', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ redis: config.redis, nodeId: config.nodeId, app: 'diagnostics-indexer' }),
        PlatformMetricsModule.forRoot('diagnostics-indexer'),
        store,
        SessionIndexingModule.forRoot(config, store),
        PlatformHealthModule.forRoot({
          imports: [store],
          inject: [SessionStore, HealthIndicatorService],
          readinessChecks: (sessions: SessionStore, indicators: HealthIndicatorService) => sessionStoreReadiness(sessions, indicators, config.store.kind),
        }),
      ],
      providers: [{ provide: IndexerConfig, useValue: config }],
    };
  }
}
