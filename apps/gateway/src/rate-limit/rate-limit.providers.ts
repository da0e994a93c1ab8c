import type { Provider } from '@nestjs/common';
import { type RedisConnection, RedisRateLimitStore } from '@sg/cluster';
import { REDIS_COMMANDS } from '@sg/platform';
import { ConnectionAttemptLimiter, RateLimitStore } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { ConnectionLimitsService } from './connection-limits.service';
import { MessageRateLimitService } from './message-rate-limit.service';

/** The limits of PROTOCOL section 1 and their Redis counters. */
export const rateLimitProviders: Provider[] = [
  { provide: RateLimitStore, inject: [REDIS_COMMANDS], useFactory: (redis: RedisConnection) => new RedisRateLimitStore(redis) },
  {
    provide: ConnectionAttemptLimiter,
    inject: [RateLimitStore, GatewayConfig],
    useFactory: (store: RateLimitStore, config: GatewayConfig) => new ConnectionAttemptLimiter(store, config.rateLimits.connectionsPerIp),
  },
  ConnectionLimitsService,
  MessageRateLimitService,
];
