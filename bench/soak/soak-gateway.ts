import { existsSync } from 'node:fs';
import { freePort } from '../../libs/testing/src/free-port';
import { REPO_ROOT } from '../servers/node-script';
import { GATEWAY_BENCH_ENV } from '../servers/gateway-nodes';
import { ManagedProcess, startProcess, waitForHttp200 } from '../util/managed-process';
import { BenchRedis, startRedis } from '../util/redis-server';
import { withRaisedFdLimit } from './fd-limit';
import { SoakOptions } from './soak-options';

/** The one gateway node of the soak and its throwaway Redis. */
export interface SoakGateway {
  readonly process: ManagedProcess;
  readonly redis: BenchRedis;
  /** `http://127.0.0.1:PORT`, for /metrics and /healthz. */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:PORT/ws`. */
  readonly wsUrl: string;
  /** The variables the bench set on top of the environment it inherited. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server beside the load and the built gateway on its own core,
 * with its open-files limit raised where the kernel lets it. The relay bench's settings
 * (loopback, per-address limits off, since every peer comes from 127.0.0.1), the heartbeat
 * interval under test, and a connection cap above the soak's connections.
 */
export async function startSoakGateway(options: SoakOptions): Promise<SoakGateway> {
  if (!existsSync(options.gatewayMain)) throw new Error(`${options.gatewayMain} is missing: run node tools/build-app.mjs gateway first`);
  const redis = await startRedis(options.loadCore);
  const port = await freePort();
  const env: Record<string, string> = {
    ...GATEWAY_BENCH_ENV,
    MAX_CONNECTIONS: String(Math.max(Number(GATEWAY_BENCH_ENV['MAX_CONNECTIONS']), options.connections + 1000)),
    HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs),
    ...options.gatewayEnv,
    PORT: String(port),
    NODE_ID: 'soak-node-1',
    REDIS_URL: redis.url,
  };
  const [command, args] = withRaisedFdLimit(options.fdLimit, process.execPath, [...options.nodeFlags, options.gatewayMain]);
  const proc = startProcess({ name: `soak-gateway-${port}`, core: options.serverCore, command, args, cwd: REPO_ROOT, env: { ...process.env, ...env } });
  const stop = async () => {
    await proc.stop(15_000);
    await redis.process.stop();
  };
  try {
    await waitForHttp200(proc, `http://127.0.0.1:${port}/readyz`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: proc, redis, baseUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, env, stop };
}
