import { startRedisCluster, ThrowawayRedisCluster } from '../redis-cluster';
import { startRedisServer, ThrowawayRedis } from '../redis-server';
import { testRedisMode } from '../test-redis';

declare global {
  var __throwawayRedis: ThrowawayRedis | undefined;
  var __throwawayRedisCluster: ThrowawayRedisCluster | undefined;
}

/**
 * One throwaway redis-server per Jest run; workers inherit TEST_REDIS_URL.
 * Test files isolate themselves with their own key prefix or database index.
 * With `E2E_REDIS=cluster`, a real 3-master Redis Cluster too (TEST_REDIS_CLUSTER_NODES),
 * for the suites that run on both.
 */
export default async function redisGlobalSetup(): Promise<void> {
  const [redis, cluster] = await Promise.all([startRedisServer(), testRedisMode() === 'cluster' ? startRedisCluster() : Promise.resolve(undefined)]);
  globalThis.__throwawayRedis = redis;
  process.env['TEST_REDIS_URL'] = redis.url;
  if (cluster) {
    globalThis.__throwawayRedisCluster = cluster;
    process.env['TEST_REDIS_CLUSTER_NODES'] = cluster.seeds;
  }
}
