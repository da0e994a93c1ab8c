import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { indexerMetricProviders, PlatformMetricsModule } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule } from '@sg/platform';
import { SessionStore } from '@sg/session';
import { IndexerConfig } from './config/indexer-config';
import { sessionIndexingProviders } from './indexing/session-indexing.providers';
import { SessionIndexingService } from './indexing/session-indexing.service';
import { SessionRetentionService } from './retention/session-retention.service';

/** The session store, the indexing loop and retention, shared with the health module. */
@Module({})
class SessionIndexingModule {
  static forRoot(config: IndexerConfig): DynamicModule {
    return {
      module: SessionIndexingModule,
      imports: [TerminusModule],
      providers: [{ provide: IndexerConfig, useValue: config }, ...indexerMetricProviders, ...sessionIndexingProviders, SessionIndexingService, SessionRetentionService],
      exports: [SessionStore, TerminusModule],
    };
  }
}

/** Composition root of the indexer. */
@Module({})
export class IndexerModule {
  static forRoot(config: IndexerConfig): DynamicModule {
    const indexing = SessionIndexingModule.forRoot(config);
    return {
      module: IndexerModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ indexer: config })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, app: 'indexer', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ url: config.redisUrl, nodeId: config.nodeId, app: 'indexer' }),
        PlatformMetricsModule.forRoot('indexer'),
        indexing,
        PlatformHealthModule.forRoot({
          imports: [indexing],
          inject: [SessionStore, HealthIndicatorService],
          readinessChecks: (store: SessionStore, indicators: HealthIndicatorService) => [
            async () => {
              const indicator = indicators.check('store');
              try {
                await store.check();
                return indicator.up({ kind: config.store.kind });
              } catch (error) {
                return indicator.down({ kind: config.store.kind, message: error instanceof Error ? error.message : 'unavailable' });
              }
            },
          ],
        }),
      ],
      providers: [{ provide: IndexerConfig, useValue: config }],
    };
  }
}
