import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ClientsModule } from '@nestjs/microservices';
import { type RedisConnection, RedisNodeRegistry, RedisRoomDirectory } from '@sg/cluster';
import { METRIC, PlatformMetricsModule } from '@sg/metrics';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  PlatformHealthModule,
  PlatformLoggerModule,
  PlatformRedisModule,
  REDIS_COMMANDS,
  redisTransportOptions,
  SessionStoreModule,
  sessionStoreReadiness,
} from '@sg/platform';
import { SessionStore } from '@sg/session';
import type { SqliteSearchWorkerEntry } from '@sg/store';
import { AdminApiKeyGuard } from './auth/admin-api-key.guard';
import { LiveClusterController } from './cluster/live-cluster.controller';
import { LiveNodesService } from './cluster/live-nodes.service';
import { AdminSearchConfig } from './config/admin-search-config';
import { NodeLifecycleController } from './operator/node-lifecycle.controller';
import { OperatorActionsController } from './operator/operator-actions.controller';
import { GATEWAY_NODES_CLIENT } from './operator/operator-actions.service';
import { operatorProviders } from './operator/operator.providers';
import { sessionSearchProviders } from './sessions/session-search.providers';
import { SessionSearchService } from './sessions/session-search.service';
import { SessionsController } from './sessions/sessions.controller';
import { OperatorPageController } from './web/operator-page.controller';

/** Composition root of admin-search. */
@Module({})
export class AdminSearchModule {
  /**
   * `searchWorkerEntry`: the script the SQLite store's search workers run (the built app's own
   * bundle); without it searches run on the event loop.
   */
  static forRoot(config: AdminSearchConfig, searchWorkerEntry?: SqliteSearchWorkerEntry): DynamicModule {
    const store = SessionStoreModule.forRoot(
      config.store,
      searchWorkerEntry ? { sqliteSearchWorkers: { size: config.search.concurrency, entry: searchWorkerEntry } } : {},
    );
    return {
      module: AdminSearchModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ adminSearch: { store: config.store } })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, format: config.logFormat, app: 'admin-search', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ redis: config.redis, nodeId: config.nodeId, app: 'admin-search' }),
        PlatformMetricsModule.forRoot('admin-search'),
        store,
        ClientsModule.register([{ name: GATEWAY_NODES_CLIENT, ...redisTransportOptions(config.redis) }]),
        PlatformHealthModule.forRoot({
          imports: [store],
          inject: [SessionStore, HealthIndicatorService],
          readinessChecks: (sessions: SessionStore, indicators: HealthIndicatorService) => sessionStoreReadiness(sessions, indicators, config.store.kind),
        }),
      ],
      controllers: [OperatorPageController, LiveClusterController, SessionsController, OperatorActionsController, NodeLifecycleController],
      providers: [
        { provide: AdminSearchConfig, useValue: config },
        AdminApiKeyGuard,
        SessionSearchService,
        ...sessionSearchProviders,
        ...operatorProviders,
        LiveNodesService,
        makeGaugeProvider({
          name: METRIC.adminNodeRoomsDrift,
          help: "Rooms a gateway node reports in its heartbeat minus the rooms the room directory holds for it; non-zero for long means the node's view leaks.",
          labelNames: ['node'],
        }),
        { provide: RedisRoomDirectory, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisRoomDirectory(redis) },
        { provide: RedisNodeRegistry, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisNodeRegistry(redis) },
      ],
    };
  }
}
