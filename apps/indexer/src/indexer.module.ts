import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { PlatformMetricsModule } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule } from '@sg/platform';
import { IndexerConfig } from './config/indexer-config';
import { SessionEventsGroup } from './events/session-events-group';
import { SessionEventsModule } from './events/session-events.module';

/** Composition root of the indexer. */
@Module({})
export class IndexerModule {
  static forRoot(config: IndexerConfig): DynamicModule {
    return {
      module: IndexerModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ indexer: config })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, app: 'indexer', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ url: config.redisUrl, nodeId: config.nodeId, app: 'indexer' }),
        PlatformMetricsModule.forRoot('indexer'),
        PlatformHealthModule.forRoot({
          imports: [SessionEventsModule],
          inject: [SessionEventsGroup],
          readinessChecks: (group: SessionEventsGroup) => [() => group.isHealthy()],
        }),
      ],
      providers: [{ provide: IndexerConfig, useValue: config }],
    };
  }
}
