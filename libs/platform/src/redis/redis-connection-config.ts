/** One seed node of a Redis Cluster, as `REDIS_CLUSTER_NODES` lists it. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * Where the app's Redis is (PROTOCOL section 4): one Redis at `REDIS_URL`, or a Redis
 * Cluster found through the seed nodes of `REDIS_CLUSTER_NODES` (then `REDIS_URL` is ignored).
 */
export type RedisConnectionConfig =
  | { readonly mode: 'single'; readonly url: string }
  | { readonly mode: 'cluster'; readonly nodes: readonly RedisClusterNode[] };

/** `host:port` with a host name, an IPv4 address or a bracketed IPv6 address. */
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253}[A-Za-z0-9])?):(\d{1,5})$/;

/** The seed nodes of a `REDIS_CLUSTER_NODES` value, or null when an entry is not `host:port` with a port from 1 to 65535. */
export function parseClusterNodes(value: string): RedisClusterNode[] | null {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return null;
  const nodes: RedisClusterNode[] = [];
  for (const entry of entries) {
    const match = HOST_PORT.exec(entry);
    if (!match) return null;
    const port = Number(match[2]);
    if (port < 1 || port > 65_535) return null;
    nodes.push({ host: match[1].replace(/^\[(.*)\]$/, '$1'), port });
  }
  return nodes;
}

/** The connection settings from the two variables: the cluster when its seeds are given. */
export function redisConnectionConfig(env: { readonly REDIS_URL: string; readonly REDIS_CLUSTER_NODES?: string }): RedisConnectionConfig {
  const nodes = env.REDIS_CLUSTER_NODES === undefined ? null : parseClusterNodes(env.REDIS_CLUSTER_NODES);
  return nodes ? { mode: 'cluster', nodes } : { mode: 'single', url: env.REDIS_URL };
}
