import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManagedProcess, startProcess, waitForHttp200 } from '../util/managed-process';
import { startNodesOnRedis } from './nodes-on-redis';
import { startRedis } from '../util/redis-server';
import { startBenchRedisCluster } from './bench-redis-cluster';
import { REPO_ROOT } from './node-script';
import { describeDead, RunningServer } from './running-server';

export const GATEWAY_MAIN = resolve(REPO_ROOT, 'dist/apps/gateway/main.js');

/**
 * Settings the bench gives every gateway node on top of PORT, NODE_ID and REDIS_URL.
 * All peers connect from 127.0.0.1, so per-IP and per-room limits meant for the internet
 * would throttle the load itself. Per-peer limits stay at their defaults: at the highest
 * default rate each peer sends well under 200 msg/s.
 */
export const GATEWAY_BENCH_ENV: Readonly<Record<string, string>> = {
  // nothing leaves this machine: listen on loopback only
  HOST: '127.0.0.1',
  RATE_LIMIT_CONN_PER_10S: '100000',
  // 0 turns a limit off: the whole load is one IP, and its rooms far busier than any real room
  RATE_LIMIT_IP_MSGS_PER_10S: '0',
  RATE_LIMIT_ROOM_MSGS_PER_10S: '0',
  // the join measurement holds 10,000 idle connections beside the relay's: above the default cap
  MAX_CONNECTIONS: '50000',
};

export interface GatewayOptions {
  readonly nodes: 1 | 2;
  readonly serverCore: number;
  readonly redisCore: number;
  /** Extra variables, e.g. from BENCH_GATEWAY_ENV="LOG_LEVEL=warn,ROOM_CAPACITY=2". */
  readonly extraEnv: Readonly<Record<string, string>>;
  /** Extra node flags for the gateway processes, e.g. --cpu-prof. */
  readonly nodeFlags: readonly string[];
  /** Another build of the gateway to run instead of this checkout's, as `gateway-1-baseline` or `gateway-2-baseline`. */
  readonly baselineMain?: string;
  /** `cluster`: a throwaway Redis Cluster (3 masters, 3 replicas) given as REDIS_CLUSTER_NODES; default one redis-server. */
  readonly redis?: 'single' | 'cluster';
}

/** What the gateways are pointed at, and how to stop it. */
interface GatewayRedis {
  readonly env: Readonly<Record<string, string>>;
  /** Every redis-server process: one, or a cluster's six. */
  readonly pids: readonly number[];
  readonly processes: readonly ManagedProcess[];
  /** Cluster nodes that stopped, which describeDead cannot see. */
  dead(): string[];
  stop(): Promise<void>;
}

async function startGatewayRedis(options: GatewayOptions): Promise<GatewayRedis> {
  if (options.redis === 'cluster') {
    const cluster = await startBenchRedisCluster(options.redisCore);
    return { env: { REDIS_CLUSTER_NODES: cluster.seeds }, pids: cluster.pids, processes: [], dead: () => cluster.dead(), stop: () => cluster.stop() };
  }
  const redis = await startRedis(options.redisCore);
  return { env: { REDIS_URL: redis.url }, pids: [redis.process.pid], processes: [redis.process], dead: () => [], stop: () => redis.process.stop() };
}

function describeGateway(options: GatewayOptions): { name: string; description: string } {
  const nodes = options.nodes === 1 ? 'one node' : 'two nodes (peers of a room on different nodes)';
  if (options.baselineMain) return { name: `gateway-${options.nodes}-baseline`, description: `the gateway as built at ${options.baselineMain}, ${nodes}` };
  const cluster = options.redis === 'cluster';
  return {
    name: `gateway-${options.nodes}${cluster ? '-cluster' : ''}`,
    description: `our gateway, ${nodes}${cluster ? ', on a Redis Cluster (3 masters, 3 replicas)' : ''}`,
  };
}

/** Starts a throwaway Redis (or Redis Cluster) and 1 or 2 gateway nodes on it (PROTOCOL section 4). */
export async function startGatewayNodes(options: GatewayOptions): Promise<RunningServer> {
  const main = options.baselineMain ?? GATEWAY_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const redis = await startGatewayRedis(options);
  const started = await startNodesOnRedis(redis, options.nodes, {
    start: (index, port) => {
      const nodeId = `bench-node-${index}`;
      return startProcess({
        name: `gateway-${nodeId}-${port}`,
        core: options.serverCore,
        command: process.execPath,
        args: [...options.nodeFlags, main],
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...GATEWAY_BENCH_ENV,
          ...options.extraEnv,
          PORT: String(port),
          NODE_ID: nodeId,
          ...redis.env,
        },
      });
    },
    ready: (node, port) => waitForHttp200(node, `http://127.0.0.1:${port}/readyz`),
    url: (port) => `ws://127.0.0.1:${port}/ws`,
    stopMs: 10_000,
  });
  return {
    ...describeGateway(options),
    target: { protocol: 'gateway', urls: started.urls },
    serverPids: started.nodes.map((node) => node.pid),
    redisPid: redis.pids[0],
    redisPids: redis.pids,
    deadProcesses: () => [...describeDead([...started.nodes, ...redis.processes]), ...redis.dead()],
    stop: started.stop,
  };
}
