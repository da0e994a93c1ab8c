import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { RedisNodeRegistry, RedisRoomDirectory } from '@sg/cluster';
import { PlatformMetricsModule } from '@sg/metrics';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule, REDIS_COMMANDS, SessionStoreModule, sessionStoreReadiness } from '@sg/platform';
import { SessionStore } from '@sg/session';
import type Redis from 'ioredis';
import { AdminApiKeyGuard } from './auth/admin-api-key.guard';
import { LiveClusterController } from './cluster/live-cluster.controller';
import { AdminSearchConfig } from './config/admin-search-config';
import { SessionSearchService } from './sessions/session-search.service';
import { SessionsController } from './sessions/sessions.controller';
import { OperatorPageController } from './web/operator-page.controller';

/** Composition root of admin-search. */
@Module({})
export class AdminSearchModule {
  static forRoot(config: AdminSearchConfig): DynamicModule {
    const store = SessionStoreModule.forRoot(config.store);
    return {
      module: AdminSearchModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ adminSearch: { store: config.store } })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, app: 'admin-search', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ url: config.redisUrl, nodeId: config.nodeId, app: 'admin-search' }),
        PlatformMetricsModule.forRoot('admin-search'),
        store,
        PlatformHealthModule.forRoot({
          imports: [store],
          inject: [SessionStore, HealthIndicatorService],
          readinessChecks: (sessions: SessionStore, indicators: HealthIndicatorService) => sessionStoreReadiness(sessions, indicators, config.store.kind),
        }),
      ],
      controllers: [OperatorPageController, LiveClusterController, SessionsController],
      providers: [
        { provide: AdminSearchConfig, useValue: config },
        AdminApiKeyGuard,
        SessionSearchService,
        { provide: RedisRoomDirectory, inject: [REDIS_COMMANDS], useFactory: (redis: Redis) => new RedisRoomDirectory(redis) },
        { provide: RedisNodeRegistry, inject: [REDIS_COMMANDS], useFactory: (redis: Redis) => new RedisNodeRegistry(redis) },
      ],
    };
  }
}
