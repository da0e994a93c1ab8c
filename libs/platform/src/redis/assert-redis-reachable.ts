import Redis, { Cluster } from 'ioredis';
import type { RedisConnectionConfig } from './redis-connection-config';
import { redisTarget } from './redis-target';

/**
 * Fails start-up with a message that names Redis and where it was looked for, rather
 * than the first command's "Reached the max retries per request limit" deep in Nest's
 * module initialisation. One try, bounded by the connect timeout. For a cluster, one of
 * the seed nodes must answer with the cluster's slot map and the cluster must be ready.
 */
export async function assertRedisReachable(target: string | RedisConnectionConfig, timeoutMs = 3_000): Promise<void> {
  const config: RedisConnectionConfig = typeof target === 'string' ? { mode: 'single', url: target } : target;
  if (config.mode === 'cluster') return assertClusterReachable(config, timeoutMs);
  const probe = new Redis(config.url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // the connection's own error (ECONNREFUSED, ENOTFOUND, an auth failure) says more than the rejection
  let cause: Error | null = null;
  probe.on('error', (error: Error) => (cause ??= error));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (cause ?? error) instanceof Error ? ((cause ?? error) as Error).message : String(error);
    throw new Error(`cannot reach Redis at ${redisTarget(config.url)} (REDIS_URL): ${reason.replace(/\.$/, '')}. Start one (redis-server) or set REDIS_URL.`);
  } finally {
    probe.disconnect();
  }
}

async function assertClusterReachable(config: Extract<RedisConnectionConfig, { mode: 'cluster' }>, timeoutMs: number): Promise<void> {
  const probe = new Cluster(
    config.nodes.map(({ host, port }) => ({ host, port })),
    { lazyConnect: true, clusterRetryStrategy: () => null, enableOfflineQueue: false, slotsRefreshTimeout: timeoutMs, redisOptions: { connectTimeout: timeoutMs, maxRetriesPerRequest: 0 } },
  );
  let cause: Error | null = null;
  probe.on('error', (error: Error) => (cause ??= error));
  probe.on('node error', (error: Error) => (cause ??= error));
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref());
  try {
    await Promise.race([probe.connect().then(() => probe.ping()), timer]);
  } catch (error) {
    const reason = (cause ?? error) instanceof Error ? ((cause ?? error) as Error).message : String(error);
    throw new Error(
      `cannot reach the Redis Cluster at ${redisTarget(config)} (REDIS_CLUSTER_NODES): ${reason.replace(/\.$/, '')}. Start it or set REDIS_CLUSTER_NODES to nodes of a ready cluster.`,
    );
  } finally {
    probe.disconnect();
  }
}
