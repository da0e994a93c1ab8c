import Redis from 'ioredis';
import { redisTarget } from './redis-target';

/**
 * Fails start-up with a message that names Redis and where it was looked for, rather
 * than the first command's "Reached the max retries per request limit" deep in Nest's
 * module initialisation. One try, bounded by the connect timeout.
 */
export async function assertRedisReachable(url: string, timeoutMs = 3_000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // the connection's own error (ECONNREFUSED, ENOTFOUND, an auth failure) says more than the rejection
  let cause: Error | null = null;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (cause ?? error) instanceof Error ? ((cause ?? error) as Error).message : String(error);
    throw new Error(`cannot reach Redis at ${redisTarget(url)} (REDIS_URL): ${reason.replace(/\.$/, '')}. Start one (redis-server) or set REDIS_URL.`);
  } finally {
    probe.disconnect();
  }
}
