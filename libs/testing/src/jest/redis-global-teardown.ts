/** Stops the redis-server (and the Redis Cluster) that redis-global-setup started. */
export default async function redisGlobalTeardown(): Promise<void> {
  await Promise.all([globalThis.__throwawayRedis?.stop(), globalThis.__throwawayRedisCluster?.stop()]);
}
