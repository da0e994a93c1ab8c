import type { Cluster, default as Redis } from 'ioredis';

/**
 * A connection to one Redis or to a Redis Cluster (`REDIS_CLUSTER_NODES`): every adapter
 * of this lib takes either. Keys of one script, transaction or pipeline always share a
 * hash tag (`redis-keys.ts`), so both run the same commands.
 */
export type RedisConnection = Redis | Cluster;

/** Whether the connection is to a Redis Cluster. */
export function isRedisCluster(redis: RedisConnection): redis is Cluster {
  return (redis as Cluster).isCluster === true;
}
