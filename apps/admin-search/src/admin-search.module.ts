import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { RedisNodeRegistry, RedisRoomDirectory } from '@sg/cluster';
import { PlatformMetricsModule } from '@sg/metrics';
import { PlatformHealthModule, PlatformLoggerModule, PlatformRedisModule, REDIS_COMMANDS } from '@sg/platform';
import type Redis from 'ioredis';
import { AdminApiKeyGuard } from './auth/admin-api-key.guard';
import { LiveClusterController } from './cluster/live-cluster.controller';
import { AdminSearchConfig } from './config/admin-search-config';

/** Composition root of admin-search. */
@Module({})
export class AdminSearchModule {
  static forRoot(config: AdminSearchConfig): DynamicModule {
    return {
      module: AdminSearchModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, isGlobal: true, load: [() => ({ adminSearch: { store: config.store } })] }),
        PlatformLoggerModule.forRoot({ level: config.logLevel, app: 'admin-search', nodeId: config.nodeId }),
        PlatformRedisModule.forRoot({ url: config.redisUrl, nodeId: config.nodeId, app: 'admin-search' }),
        PlatformMetricsModule.forRoot('admin-search'),
        PlatformHealthModule.forRoot(),
      ],
      controllers: [LiveClusterController],
      providers: [
        { provide: AdminSearchConfig, useValue: config },
        AdminApiKeyGuard,
        { provide: RedisRoomDirectory, inject: [REDIS_COMMANDS], useFactory: (redis: Redis) => new RedisRoomDirectory(redis) },
        { provide: RedisNodeRegistry, inject: [REDIS_COMMANDS], useFactory: (redis: Redis) => new RedisNodeRegistry(redis) },
      ],
    };
  }
}
