import Redis, { Cluster } from 'ioredis';
import { answerWithin } from '../async/settle-within';
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
    {
      lazyConnect: true,
      clusterRetryStrategy: () => null,
      enableOfflineQueue: false,
      slotsRefreshTimeout: timeoutMs,
      redisOptions: { connectTimeout: timeoutMs, maxRetriesPerRequest: 0, ...config.credentials },
    },
  );
  let cause: Error | null = null;
  probe.on('error', (error: Error) => (cause ??= error));
  probe.on('node error', (error: Error) => (cause ??= error));
  try {
    await answerWithin(probe.connect().then(() => probe.ping()), timeoutMs);
  } catch (error) {
    throw new Error(clusterProblem(config, errorMessage(cause ?? error)));
  } finally {
    probe.disconnect();
  }
}

/** An error's message; for a cluster's "Failed to refresh slots cache", the last node's reason instead. */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const last = (error as Error & { lastNodeError?: unknown }).lastNodeError;
  return last instanceof Error ? last.message : error.message;
}

/** Redis's refusals of a connection's credentials: none given (NOAUTH), or the wrong ones (WRONGPASS, Redis 5's "invalid password"). */
const AUTH_REFUSED = /^(NOAUTH|WRONGPASS)\b|invalid password/i;

/**
 * What start-up says when the cluster cannot be used: a refused password names the variables
 * to fix, anything else the seeds. The password is never part of it, even if a node's reply
 * were to quote it.
 */
function clusterProblem(config: Extract<RedisConnectionConfig, { mode: 'cluster' }>, error: string): string {
  const password = config.credentials?.password;
  const reason = (password ? error.split(password).join('[redacted]') : error).replace(/\.$/, '');
  const where = `the Redis Cluster at ${redisTarget(config)} (REDIS_CLUSTER_NODES)`;
  if (AUTH_REFUSED.test(reason)) {
    if (config.credentials) {
      const variables = config.credentials.username === undefined ? 'REDIS_CLUSTER_PASSWORD' : 'REDIS_CLUSTER_USERNAME and REDIS_CLUSTER_PASSWORD';
      return `${where} refuses ${variables}: ${reason}. Set ${variables} to credentials every node of the cluster accepts.`;
    }
    return `${where} requires a password: ${reason}. Set REDIS_CLUSTER_PASSWORD (and REDIS_CLUSTER_USERNAME for an ACL user other than the default one).`;
  }
  return `cannot reach ${where}: ${reason}. Start it or set REDIS_CLUSTER_NODES to nodes of a ready cluster.`;
}
