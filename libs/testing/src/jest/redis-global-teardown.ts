/** Stops the redis-server that redis-global-setup started. */
export default async function redisGlobalTeardown(): Promise<void> {
  await globalThis.__throwawayRedis?.stop();
}
