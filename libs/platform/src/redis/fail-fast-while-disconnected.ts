import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Cluster } from 'ioredis';

/**
 * The circuit breaker of a Redis connection. Closed while the connection is
 * ready; open from the moment it is lost: every command fails at once instead
 * of waiting in ioredis's offline queue, which has no bound and would hold a
 * join for seconds before its 1013 and pile up work for the moment Redis
 * returns. ioredis's reconnect attempts (`redisRetryStrategy`, at most one per
 * 2 s) are the half-open probes; the first that succeeds closes it again.
 *
 * The offline queue stays on until the first `ready`, so commands an app
 * issues while it starts still wait for the first connection.
 */
export function failFastWhileDisconnected(redis: Redis, connectionName: string): void {
  const logger = new Logger('Redis');
  let lost = false;
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
    // commands already sent when the connection drops fail then, not after further attempts
    redis.options.maxRetriesPerRequest = 0;
  });
  redis.on('ready', () => {
    if (lost) logger.log(`${connectionName}: Redis answers again, commands run again`);
    lost = false;
  });
  redis.on('close', () => {
    if (!lost && redis.options.enableOfflineQueue === false) {
      logger.warn(`${connectionName}: lost Redis; commands fail at once until a reconnect succeeds`);
      lost = true;
    }
  });
  // ioredis reports each failed reconnect as an error event; the transitions above are the log
  redis.on('error', () => undefined);
  // a duplicate copies the options as they are now: it must start like the original did
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (override) => {
    const copy = duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1, ...override });
    failFastWhileDisconnected(copy, `${connectionName}-copy`);
    return copy;
  };
}

/**
 * The same breaker for a Redis Cluster client as a whole: open while no node of the
 * cluster answers (the client reconnects to its seeds, spaced by `redisRetryStrategy`),
 * closed once it is ready again. One master down is not the cluster lost: its slots
 * fail after ioredis's failover retries while the others' keep working, and its replica
 * takes over within the cluster's node timeout.
 */
export function failFastWhileClusterDown(cluster: Cluster, connectionName: string): void {
  const logger = new Logger('Redis');
  let lost = false;
  cluster.once('ready', () => {
    cluster.options.enableOfflineQueue = false;
  });
  cluster.on('ready', () => {
    if (lost) logger.log(`${connectionName}: the Redis Cluster answers again, commands run again`);
    lost = false;
  });
  cluster.on('close', () => {
    if (!lost && cluster.options.enableOfflineQueue === false) {
      logger.warn(`${connectionName}: lost every node of the Redis Cluster; commands fail at once until a reconnect succeeds`);
      lost = true;
    }
  });
  cluster.on('error', () => undefined);
  cluster.on('node error', () => undefined);
  const duplicate = cluster.duplicate.bind(cluster);
  cluster.duplicate = (startupNodes, override) => {
    const copy = duplicate(startupNodes, { ...override, enableOfflineQueue: true });
    failFastWhileClusterDown(copy, `${connectionName}-copy`);
    return copy;
  };
}
