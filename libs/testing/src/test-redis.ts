import Redis, { Cluster } from 'ioredis';

/**
 * Which Redis a Jest run's shared server is: one redis-server (the default), or a real
 * 3-master Redis Cluster when `E2E_REDIS=cluster` (the project-level switch: the global
 * setup starts the cluster, and suites that run on both read it through these helpers).
 */
export function testRedisMode(): 'single' | 'cluster' {
  return process.env['E2E_REDIS'] === 'cluster' ? 'cluster' : 'single';
}

/** The variables that point an app at the run's shared Redis: `REDIS_URL`, or `REDIS_CLUSTER_NODES` on the cluster. */
export function testRedisEnv(): Record<string, string> {
  if (testRedisMode() === 'cluster') {
    const nodes = process.env['TEST_REDIS_CLUSTER_NODES'];
    if (!nodes) throw new Error('TEST_REDIS_CLUSTER_NODES is not set: with E2E_REDIS=cluster the Jest global setup starts a Redis Cluster');
    return { REDIS_CLUSTER_NODES: nodes };
  }
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set: the Jest global setup starts redis-server');
  return { REDIS_URL: url };
}

/** A client of whatever the env points at (as `testRedisEnv` or an app's own variables say, a cluster's credentials included), for tests that look into Redis. */
export function connectRedisOf(env: Record<string, string> = testRedisEnv()): Redis | Cluster {
  const nodes = env['REDIS_CLUSTER_NODES'];
  if (nodes) {
    return new Cluster(
      nodes.split(',').map((address) => {
        const at = address.lastIndexOf(':');
        return { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
      }),
      { redisOptions: { username: env['REDIS_CLUSTER_USERNAME'] || undefined, password: env['REDIS_CLUSTER_PASSWORD'] || undefined } },
    );
  }
  return new Redis(env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
}

/**
 * Empties every master of the run's Redis Cluster. Files that share one Redis keep apart by
 * their own rooms and node ids, but rate-limit counters are per client address (all tests
 * connect from 127.0.0.1), so the cluster suite starts each file on an empty cluster, as the
 * suites with a Redis of their own do.
 */
export async function flushTestRedisCluster(): Promise<void> {
  const client = connectRedisOf();
  if (!(client instanceof Cluster)) {
    client.disconnect();
    return;
  }
  try {
    await client.ping();
    await Promise.all(client.nodes('master').map((master) => master.flushall()));
  } finally {
    client.disconnect();
  }
}
