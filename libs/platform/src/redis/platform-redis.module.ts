import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { createRedisConnection } from './create-redis-connection';
import { REDIS_COMMANDS, REDIS_SUBSCRIBER } from './redis-tokens';

/**
 * The app's Redis connections: one for commands and publishing (auto-pipelined),
 * one dedicated to subscriptions (a subscribed connection cannot run commands).
 */
@Global()
@Module({})
export class PlatformRedisModule implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_COMMANDS) private readonly commands: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
  ) {}

  static forRoot(options: { url: string; nodeId: string; app: string }): DynamicModule {
    const name = `${options.app}-${options.nodeId}`;
    return {
      module: PlatformRedisModule,
      providers: [
        { provide: REDIS_COMMANDS, useFactory: () => createRedisConnection(options.url, name) },
        { provide: REDIS_SUBSCRIBER, useFactory: () => createRedisConnection(options.url, `${name}-sub`) },
      ],
      exports: [REDIS_COMMANDS, REDIS_SUBSCRIBER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
  }
}
