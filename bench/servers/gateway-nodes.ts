import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../../libs/testing/src/free-port';
import { ManagedProcess, startProcess, waitForHttp200 } from '../util/managed-process';
import { BenchRedis, startRedis } from '../util/redis-server';
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
  /** Another build of the gateway to run instead of this checkout's, as `gateway-1-baseline`. */
  readonly baselineMain?: string;
}

/** Starts a throwaway Redis and 1 or 2 gateway nodes on it (PROTOCOL section 4). */
export async function startGatewayNodes(options: GatewayOptions): Promise<RunningServer> {
  const main = options.baselineMain ?? GATEWAY_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  const redis: BenchRedis = await startRedis(options.redisCore);
  const nodes: ManagedProcess[] = [];
  const urls: string[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.stop(10_000)));
    await redis.process.stop();
  };
  try {
    for (let i = 1; i <= options.nodes; i++) {
      const port = await freePort();
      const nodeId = `bench-node-${i}`;
      const proc = startProcess({
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
          REDIS_URL: redis.url,
        },
      });
      nodes.push(proc);
      await waitForHttp200(proc, `http://127.0.0.1:${port}/readyz`);
      urls.push(`ws://127.0.0.1:${port}/ws`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    name: options.baselineMain ? 'gateway-1-baseline' : `gateway-${options.nodes}`,
    description: options.baselineMain
      ? `the gateway as built at ${options.baselineMain}, one node`
      : options.nodes === 1
        ? 'our gateway, one node'
        : 'our gateway, two nodes (peers of a room on different nodes)',
    target: { protocol: 'gateway', urls },
    serverPids: nodes.map((node) => node.pid),
    redisPid: redis.process.pid,
    deadProcesses: () => describeDead([...nodes, redis.process]),
    stop: stopAll,
  };
}
