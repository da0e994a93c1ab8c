import { resolve } from 'node:path';
import { GATEWAY_MAIN } from '../servers/gateway-nodes';
import { gatewayEnvOption, optionValue } from '../util/cli-options';

/** Options of `npm run bench:soak`; each comes from `--name=value` or the env variable shown. */
export interface SoakOptions {
  /** --connections / BENCH_SOAK_CONNECTIONS: WebSocket connections on the one gateway node, rooms of two (rounded down to even). */
  readonly connections: number;
  /** --seconds / BENCH_SOAK_SECONDS: how long they are held once joined. */
  readonly seconds: number;
  /** --talking-share / BENCH_SOAK_TALKING_SHARE: share of the connections that exchange signals while the rest stay idle. */
  readonly talkingShare: number;
  /** --talk-rate / BENCH_SOAK_TALK_RATE: signals per second each talking peer sends to the other of its room. */
  readonly talkRate: number;
  /** --heartbeat-ms / BENCH_SOAK_HEARTBEAT_MS: the gateway's HEARTBEAT_INTERVAL_MS. */
  readonly heartbeatMs: number;
  /** --per-worker / BENCH_SOAK_PER_WORKER: connections per load process, well under one process's file limit. */
  readonly perWorker: number;
  /** --join-concurrency / BENCH_SOAK_JOIN_CONCURRENCY: rooms being joined at once over all load processes. */
  readonly joinConcurrency: number;
  /** --sample-seconds / BENCH_SOAK_SAMPLE_SECONDS: period of the /metrics, /proc and load-process readings. */
  readonly sampleSeconds: number;
  /** --fd-limit / BENCH_SOAK_FD_LIMIT: the open-files limit asked for the gateway and the load processes. */
  readonly fdLimit: number;
  /** --server-core / BENCH_SERVER_CORE and --load-core / BENCH_LOAD_CORE, as in the relay bench. */
  readonly serverCore: number;
  readonly loadCore: number;
  /** --gateway / BENCH_SOAK_GATEWAY: the gateway build to run. */
  readonly gatewayMain: string;
  /** --gateway-env / BENCH_GATEWAY_ENV: extra gateway variables, "K=V,K=V". */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** --node-flags / BENCH_NODE_FLAGS: extra node flags for the gateway, space-separated (e.g. --cpu-prof --cpu-prof-dir=DIR). */
  readonly nodeFlags: readonly string[];
  /** --json / BENCH_JSON: file for the raw results. */
  readonly jsonFile: string | undefined;
}

export const SOAK_USAGE = `npm run bench:soak [-- --connections=19000 --seconds=300 --talking-share=0.01 --talk-rate=1 --heartbeat-ms=10000
                      --per-worker=5000 --join-concurrency=50 --sample-seconds=5 --fd-limit=65536
                      --server-core=0 --load-core=1 --gateway=dist/apps/gateway/main.js --gateway-env=K=V,K=V
                      --node-flags="--cpu-prof --cpu-prof-dir=DIR" --json=FILE]
(each also as an env variable: BENCH_SOAK_CONNECTIONS, BENCH_SOAK_SECONDS, ...; see docs/benchmarks.md)`;

function number(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean, what: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || !check(parsed)) throw new Error(`${name} must be ${what}, got "${value}"`);
  return parsed;
}

const positive = (n: number) => n > 0;
const integer = (n: number) => Number.isInteger(n) && n >= 0;

/** Reads and checks the options; throws naming the bad one. */
export function parseSoakOptions(argv: readonly string[] = process.argv.slice(2)): SoakOptions {
  const connections = number('--connections', optionValue(argv, 'connections', 'BENCH_SOAK_CONNECTIONS'), 19_000, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2');
  const talkingShare = number('--talking-share', optionValue(argv, 'talking-share', 'BENCH_SOAK_TALKING_SHARE'), 0.01, (n) => n >= 0 && n <= 1, 'a share from 0 to 1');
  const gatewayEnv = gatewayEnvOption(argv);
  const gateway = optionValue(argv, 'gateway', 'BENCH_SOAK_GATEWAY');
  return {
    connections: connections - (connections % 2),
    seconds: number('--seconds', optionValue(argv, 'seconds', 'BENCH_SOAK_SECONDS'), 300, positive, 'a positive number'),
    talkingShare,
    talkRate: number('--talk-rate', optionValue(argv, 'talk-rate', 'BENCH_SOAK_TALK_RATE'), 1, positive, 'a positive number'),
    heartbeatMs: number('--heartbeat-ms', optionValue(argv, 'heartbeat-ms', 'BENCH_SOAK_HEARTBEAT_MS'), 10_000, (n) => Number.isInteger(n) && n >= 1000, 'an integer >= 1000 (HEARTBEAT_INTERVAL_MS)'),
    perWorker: number('--per-worker', optionValue(argv, 'per-worker', 'BENCH_SOAK_PER_WORKER'), 5_000, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2'),
    joinConcurrency: number('--join-concurrency', optionValue(argv, 'join-concurrency', 'BENCH_SOAK_JOIN_CONCURRENCY'), 50, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    sampleSeconds: number('--sample-seconds', optionValue(argv, 'sample-seconds', 'BENCH_SOAK_SAMPLE_SECONDS'), 5, positive, 'a positive number'),
    fdLimit: number('--fd-limit', optionValue(argv, 'fd-limit', 'BENCH_SOAK_FD_LIMIT'), 65_536, (n) => Number.isInteger(n) && n >= 1024, 'an integer >= 1024'),
    serverCore: number('--server-core', optionValue(argv, 'server-core', 'BENCH_SERVER_CORE'), 0, integer, 'a core number'),
    loadCore: number('--load-core', optionValue(argv, 'load-core', 'BENCH_LOAD_CORE'), 1, integer, 'a core number'),
    gatewayMain: gateway === undefined ? GATEWAY_MAIN : resolve(gateway),
    gatewayEnv,
    nodeFlags: (optionValue(argv, 'node-flags', 'BENCH_NODE_FLAGS') ?? '').split(' ').filter((flag) => flag.length > 0),
    jsonFile: optionValue(argv, 'json', 'BENCH_JSON'),
  };
}
