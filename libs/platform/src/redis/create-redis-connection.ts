import type { RedisConnection } from '@sg/cluster';
import Redis, { Cluster } from 'ioredis';
import { failFastWhileClusterDown, failFastWhileDisconnected } from './fail-fast-while-disconnected';
import { redactCredentialsOfErrors } from './redact-redis-credentials';
import type { RedisConnectionConfig } from './redis-connection-config';
import { redisRetryStrategy } from './redis-retry-strategy';

export interface RedisConnectionOptions {
  /**
   * For a connection that only subscribes: on a cluster it keeps one sharded subscriber
   * per master (`SSUBSCRIBE`), so a per-node bus is served by the shard of its channel only.
   */
  readonly subscriber?: boolean;
}

/**
 * One ioredis connection with fail-fast settings: while starting, a command waits
 * through at most one reconnect attempt; once connected, a lost Redis makes every
 * command fail at once (`failFastWhileDisconnected`), so admission answers 1013
 * at once instead of hanging, and reconnects are spaced by `redisRetryStrategy`.
 * Auto-pipelining is off: measured on the cross-node relay path it cost a Pipeline
 * per tick and raised p99 from 3 ms to 38 ms (docs/benchmarks.md).
 *
 * With a cluster (`REDIS_CLUSTER_NODES`) it is ioredis's `Cluster` client with the same
 * settings per node, and the same breaker for the cluster as a whole.
 */
export function createRedisConnection(url: string, connectionName: string): Redis;
export function createRedisConnection(target: string | RedisConnectionConfig, connectionName: string, options?: RedisConnectionOptions): RedisConnection;
export function createRedisConnection(target: string | RedisConnectionConfig, connectionName: string, options: RedisConnectionOptions = {}): RedisConnection {
  const config: RedisConnectionConfig = typeof target === 'string' ? { mode: 'single', url: target } : target;
  if (config.mode === 'cluster') return createClusterConnection(config, connectionName, options);
  const redis = new Redis(config.url, {
    connectionName,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableAutoPipelining: false,
    retryStrategy: (attempt) => redisRetryStrategy(attempt),
    lazyConnect: false,
  });
  redactCredentialsOfErrors(redis);
  failFastWhileDisconnected(redis, connectionName);
  return redis;
}

/**
 * Failover costs a few seconds (the master's node timeout, then the election): meanwhile
 * commands for its slots fail after ioredis's redirections and retries (`retryDelayOnFailover`,
 * about a second in all), callers treat that as Redis unavailable for those rooms, and the slot
 * map is refreshed on the first error and every few seconds, so the promoted replica is used
 * as soon as the cluster announces it.
 *
 * The credentials go in `redisOptions`, which ioredis applies to every node it connects to: the
 * seeds, the nodes the slot map names (a promoted replica included), and the subscribers.
 */
function createClusterConnection(config: Extract<RedisConnectionConfig, { mode: 'cluster' }>, connectionName: string, options: RedisConnectionOptions): Cluster {
  const cluster = new Cluster(
    config.nodes.map(({ host, port }) => ({ host, port })),
    {
      redisOptions: { connectionName, connectTimeout: 2_000, maxRetriesPerRequest: 1, enableAutoPipelining: false, ...config.credentials },
      clusterRetryStrategy: (attempt) => redisRetryStrategy(attempt),
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      lazyConnect: false,
      slotsRefreshTimeout: 1_000,
      slotsRefreshInterval: 5_000,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      shardedSubscribers: options.subscriber === true,
    },
  );
  redactCredentialsOfErrors(cluster);
  failFastWhileClusterDown(cluster, connectionName);
  return cluster;
}
