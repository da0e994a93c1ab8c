/** One seed node of a Redis Cluster, as `REDIS_CLUSTER_NODES` lists it. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * What every connection to a node of the cluster authenticates with (`REDIS_CLUSTER_USERNAME`,
 * `REDIS_CLUSTER_PASSWORD`): `AUTH password`, or `AUTH username password` for a Redis 6 ACL user.
 * Never shown: `redisTarget` and every error name the variables, not the values.
 */
export interface RedisClusterCredentials {
  readonly username?: string;
  readonly password: string;
}

/**
 * Where the app's Redis is (PROTOCOL section 4): one Redis at `REDIS_URL` (its password in the
 * URL), or a Redis Cluster found through the seed nodes of `REDIS_CLUSTER_NODES` (then `REDIS_URL`
 * is ignored), with the credentials of its nodes when they need any.
 */
export type RedisConnectionConfig =
  | { readonly mode: 'single'; readonly url: string }
  | { readonly mode: 'cluster'; readonly nodes: readonly RedisClusterNode[]; readonly credentials?: RedisClusterCredentials };

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

/** The variables `redisConnectionConfig` reads, as the validated env has them. */
export interface RedisEnv {
  readonly REDIS_URL: string;
  readonly REDIS_CLUSTER_NODES?: string;
  readonly REDIS_CLUSTER_USERNAME?: string;
  readonly REDIS_CLUSTER_PASSWORD?: string;
}

/**
 * The connection settings from the variables: the cluster when its seeds are given. The
 * credentials are only the cluster's: `CommonEnv` refuses them without `REDIS_CLUSTER_NODES`,
 * and a username without a password.
 */
export function redisConnectionConfig(env: RedisEnv): RedisConnectionConfig {
  const nodes = env.REDIS_CLUSTER_NODES === undefined ? null : parseClusterNodes(env.REDIS_CLUSTER_NODES);
  if (!nodes) return { mode: 'single', url: env.REDIS_URL };
  if (env.REDIS_CLUSTER_PASSWORD === undefined) return { mode: 'cluster', nodes };
  const credentials = env.REDIS_CLUSTER_USERNAME === undefined ? { password: env.REDIS_CLUSTER_PASSWORD } : { username: env.REDIS_CLUSTER_USERNAME, password: env.REDIS_CLUSTER_PASSWORD };
  return { mode: 'cluster', nodes, credentials };
}
