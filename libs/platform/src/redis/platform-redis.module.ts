import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { RedisConnection } from '@sg/cluster';
import { createRedisConnection } from './create-redis-connection';
import type { RedisConnectionConfig } from './redis-connection-config';
import { REDIS_COMMANDS, REDIS_SUBSCRIBER } from './redis-tokens';

/**
 * The app's Redis connections: one for commands and publishing, one dedicated to
 * subscriptions (a subscribed connection cannot run commands). On a Redis Cluster each
 * is ioredis's `Cluster` client (`RedisConnection` either way).
 */
@Global()
@Module({})
export class PlatformRedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly commands: RedisConnection,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisConnection,
  ) {}

  static forRoot(options: { redis: RedisConnectionConfig; nodeId: string; app: string }): DynamicModule {
    const name = `${options.app}-${options.nodeId}`;
    return {
      module: PlatformRedisModule,
      providers: [
        { provide: REDIS_COMMANDS, useFactory: () => createRedisConnection(options.redis, name) },
        { provide: REDIS_SUBSCRIBER, useFactory: () => createRedisConnection(options.redis, `${name}-sub`, { subscriber: true }) },
      ],
      exports: [REDIS_COMMANDS, REDIS_SUBSCRIBER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
  }
}
