import { startRedisServer, ThrowawayRedis } from '../redis-server';

declare global {
  var __throwawayRedis: ThrowawayRedis | undefined;
}

/**
 * One throwaway redis-server per Jest run; workers inherit TEST_REDIS_URL.
 * Test files isolate themselves with their own key prefix or database index.
 */
export default async function redisGlobalSetup(): Promise<void> {
  const redis = await startRedisServer();
  globalThis.__throwawayRedis = redis;
  process.env['TEST_REDIS_URL'] = redis.url;
}
