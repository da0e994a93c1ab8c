import { ClientRedis, ServerRedis } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { redactCredentialsOfErrors } from './redact-redis-credentials';

/**
 * Nest's Redis transport server on one Redis, as Nest builds it, but with its connections'
 * errors redacted: `REDIS_URL` may carry a password, ioredis hangs a refused AUTH's arguments
 * on its errors, and Nest's transport logs those errors whole.
 */
export class RedisTransportServer extends ServerRedis {
  override async createRedisClient(): Promise<Redis> {
    const client = await super.createRedisClient();
    redactCredentialsOfErrors(client);
    return client;
  }
}

/** Nest's Redis transport client (`ClientProxy`) on one Redis; see `RedisTransportServer`. */
export class RedisTransportClient extends ClientRedis {
  override async createClient(): Promise<Redis> {
    const client = await super.createClient();
    redactCredentialsOfErrors(client);
    return client;
  }
}
