import Redis from 'ioredis';

/**
 * A connection to the run's throwaway redis-server (started by the Jest global
 * setup), on its own logical database so test files cannot see each other's keys.
 */
export async function connectTestRedis(db: number): Promise<Redis> {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set: run through the Jest preset, which starts redis-server');
  const redis = new Redis(`${url}/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  return redis;
}
