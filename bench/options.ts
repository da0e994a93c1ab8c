import { SignalKind } from './load/payloads';
import { gatewayEnvOption, listOption, optionValue } from './util/cli-options';

/** `-cluster`: the same gateway nodes on a Redis Cluster (3 masters, 3 replicas) instead of one redis-server; only when named. */
export const SERVER_NAMES = ['bare', 'bare-2', 'bare-announce', 'peerjs', 'gateway-1', 'gateway-2', 'gateway-1-baseline', 'gateway-2-baseline', 'gateway-1-cluster', 'gateway-2-cluster'] as const;
/**
 * Rates stepped up by default: past PeerJS's limit on this kind of machine (about 30k
 * msg/s), so that the max-rate goal can be judged; each server stops at its first failure.
 */
const DEFAULT_RATES = '1000,2000,4000,8000,16000,24000,32000,48000';

/** Servers run when --servers is not given; the baseline needs --baseline-gateway. */
const DEFAULT_SERVERS = ['bare', 'bare-2', 'peerjs', 'gateway-1', 'gateway-2'];
export type ServerName = (typeof SERVER_NAMES)[number];

/** Options of `npm run bench`; each comes from `--name=value` or the env variable shown. */
export interface RelayBenchOptions {
  /** --servers / BENCH_SERVERS: comma list of bare, bare-2, bare-announce, peerjs, gateway-1, gateway-2, gateway-1-baseline, gateway-2-baseline, gateway-1-cluster, gateway-2-cluster. */
  readonly servers: readonly ServerName[];
  /** --rates / BENCH_RATES: aggregate msg/s, stepped up in order. */
  readonly rates: readonly number[];
  /** --sizes / BENCH_SIZES: offer (~3 KB SDP) and/or candidate (~200 B). */
  readonly sizes: readonly SignalKind[];
  /** --rooms / BENCH_ROOMS: rooms of two peers. */
  readonly rooms: number;
  /** --step-seconds / BENCH_STEP_SECONDS: measured time per rate. */
  readonly stepSeconds: number;
  /** --warmup-seconds / BENCH_WARMUP_SECONDS: unmeasured load before the first step. */
  readonly warmupSeconds: number;
  /** --drain-ms / BENCH_DRAIN_MS: wait for late frames before counting them lost. */
  readonly drainMs: number;
  /** --tick-ms / BENCH_TICK_MS: sender timer period; larger ticks send in bursts. */
  readonly tickMs: number;
  /**
   * --quiet-wait-seconds / BENCH_QUIET_WAIT_SECONDS: before each step, wait up to this
   * long for the cores to be free of other work; --retries / BENCH_RETRIES: a step that
   * other processes disturbed anyway is run again up to this many times.
   */
  readonly quietWaitSeconds: number;
  readonly retries: number;
  /** --p99-limit-ms / BENCH_P99_LIMIT_MS: stepping stops above it. */
  readonly p99LimitMs: number;
  /** --ratio-rate / BENCH_RATIO_RATE: the rate at which servers are compared with the bare relay. */
  readonly ratioRate: number;
  /**
   * --ratio-repeats / BENCH_RATIO_REPEATS: runs of each server at the ratio rate, alternating
   * between servers; the summary and the goals take the median of each figure.
   */
  readonly ratioRepeats: number;
  /**
   * --ratio-step-seconds / BENCH_RATIO_STEP_SECONDS: measured time of each run at the ratio
   * rate, which the summary and the goals read: a p99 needs more samples than a stepping rate.
   */
  readonly ratioStepSeconds: number;
  /** --server-core / BENCH_SERVER_CORE and --load-core / BENCH_LOAD_CORE. */
  readonly serverCore: number;
  readonly loadCore: number;
  /** --gateway-env / BENCH_GATEWAY_ENV: extra gateway variables, "K=V,K=V". */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** --cpu-prof / BENCH_CPU_PROF: directory for the Node servers' CPU profiles (node --cpu-prof), see bench/profile-summary.ts. */
  readonly cpuProfDir: string | undefined;
  /** --node-flags / BENCH_NODE_FLAGS: extra node flags for the Node servers, space-separated (e.g. --perf-basic-prof). */
  readonly nodeFlags: readonly string[];
  /**
   * --joins / BENCH_JOINS: idle connections opened after the relay steps (rooms of two),
   * for the join rate and the memory per idle connection; 0 skips it.
   * --join-concurrency / BENCH_JOIN_CONCURRENCY: rooms being joined at once.
   * --join-repeats / BENCH_JOIN_REPEATS: runs of the joins per server, in turn with the other
   * servers; the goals read each server's run of median join rate.
   */
  readonly joins: number;
  readonly joinConcurrency: number;
  readonly joinRepeats: number;
  /** --json / BENCH_JSON: file for the raw results. */
  readonly jsonFile: string | undefined;
  /**
   * --baseline-gateway / BENCH_BASELINE_GATEWAY: another build's dist/apps/gateway/main.js (e.g.
   * the previous commit built in a git worktree), run as `gateway-1-baseline` (one node) or
   * `gateway-2-baseline` (two nodes) to compare a change with the code before it in the same run.
   */
  readonly baselineGateway: string | undefined;
  /**
   * --baseline-node-flags / BENCH_BASELINE_NODE_FLAGS: node flags for the baseline gateways in
   * place of --node-flags, e.g. to compare one build under two V8 settings.
   */
  readonly baselineNodeFlags: readonly string[] | undefined;
  /**
   * --baseline-gateway-env / BENCH_BASELINE_GATEWAY_ENV: variables for the baseline gateways in
   * place of --gateway-env, e.g. to compare one build under two settings in one run.
   */
  readonly baselineGatewayEnv: Readonly<Record<string, string>> | undefined;
  /** --tracing / BENCH_TRACING: `on` runs the gateways with OpenTelemetry tracing on (bench/util/bench-tracing.ts); default `off`. */
  readonly tracing: boolean;
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return number;
}

function nonNegative(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${name} must be a number >= 0, got "${value}"`);
  return number;
}

function core(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a core number, got "${value}"`);
  return number;
}

export const USAGE = `npm run bench [-- --servers=bare,bare-2,peerjs,gateway-1,gateway-2[,bare-announce,gateway-1-cluster,gateway-2-cluster] --rates=1000,2000,4000 --sizes=offer,candidate
                 --rooms=50 --step-seconds=2 --warmup-seconds=2 --drain-ms=2000 --tick-ms=1 --p99-limit-ms=50 --ratio-rate=2000 --ratio-repeats=3 --ratio-step-seconds=10
                 --quiet-wait-seconds=5 --retries=1 --joins=10000 --join-concurrency=50 --join-repeats=3
                 --server-core=0 --load-core=1 --gateway-env=K=V,K=V --cpu-prof=DIR --node-flags="--perf-basic-prof" --json=FILE
                 --baseline-gateway=OTHER_CHECKOUT/dist/apps/gateway/main.js --baseline-node-flags="..." --baseline-gateway-env=K=V,K=V --tracing=on]
(each also as an env variable: BENCH_SERVERS, BENCH_RATES, ...)`;

/** Space-separated node flags; undefined when the option is absent. */
function flagList(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(' ').filter((flag) => flag.length > 0);
}

/** Reads and checks the options; throws naming the bad one. */
export function parseOptions(argv: readonly string[] = process.argv.slice(2)): RelayBenchOptions {
  const baselineGateway = optionValue(argv, 'baseline-gateway', 'BENCH_BASELINE_GATEWAY');
  const servers = listOption(optionValue(argv, 'servers', 'BENCH_SERVERS') ?? [...DEFAULT_SERVERS, ...(baselineGateway ? ['gateway-1-baseline'] : [])].join(','));
  for (const server of servers) {
    if (!(SERVER_NAMES as readonly string[]).includes(server)) throw new Error(`--servers: unknown server "${server}" (${SERVER_NAMES.join(', ')})`);
  }
  for (const baseline of ['gateway-1-baseline', 'gateway-2-baseline']) {
    if (servers.includes(baseline) && !baselineGateway) throw new Error(`--servers: ${baseline} needs --baseline-gateway=PATH/dist/apps/gateway/main.js`);
  }
  const sizes = listOption(optionValue(argv, 'sizes', 'BENCH_SIZES') ?? 'offer,candidate');
  for (const size of sizes) if (size !== 'offer' && size !== 'candidate') throw new Error(`--sizes: unknown size "${size}" (offer, candidate)`);
  const rates = listOption(optionValue(argv, 'rates', 'BENCH_RATES') ?? DEFAULT_RATES).map((r) => positive('--rates', r, 0));
  const gatewayEnv = gatewayEnvOption(argv);
  const serverCore = core('--server-core', optionValue(argv, 'server-core', 'BENCH_SERVER_CORE'), 0);
  const loadCore = core('--load-core', optionValue(argv, 'load-core', 'BENCH_LOAD_CORE'), 1);
  const tracing = optionValue(argv, 'tracing', 'BENCH_TRACING') ?? 'off';
  if (tracing !== 'on' && tracing !== 'off') throw new Error(`--tracing: expected on or off, got "${tracing}"`);
  return {
    servers: servers as ServerName[],
    rates: [...rates].sort((a, b) => a - b),
    sizes: sizes as SignalKind[],
    rooms: Math.round(positive('--rooms', optionValue(argv, 'rooms', 'BENCH_ROOMS'), 50)),
    stepSeconds: positive('--step-seconds', optionValue(argv, 'step-seconds', 'BENCH_STEP_SECONDS'), 2),
    warmupSeconds: positive('--warmup-seconds', optionValue(argv, 'warmup-seconds', 'BENCH_WARMUP_SECONDS'), 2),
    drainMs: positive('--drain-ms', optionValue(argv, 'drain-ms', 'BENCH_DRAIN_MS'), 2000),
    tickMs: positive('--tick-ms', optionValue(argv, 'tick-ms', 'BENCH_TICK_MS'), 1),
    quietWaitSeconds: nonNegative('--quiet-wait-seconds', optionValue(argv, 'quiet-wait-seconds', 'BENCH_QUIET_WAIT_SECONDS'), 5),
    retries: Math.round(nonNegative('--retries', optionValue(argv, 'retries', 'BENCH_RETRIES'), 1)),
    p99LimitMs: positive('--p99-limit-ms', optionValue(argv, 'p99-limit-ms', 'BENCH_P99_LIMIT_MS'), 50),
    ratioRate: positive('--ratio-rate', optionValue(argv, 'ratio-rate', 'BENCH_RATIO_RATE'), 2000),
    ratioRepeats: Math.round(positive('--ratio-repeats', optionValue(argv, 'ratio-repeats', 'BENCH_RATIO_REPEATS'), 3)),
    ratioStepSeconds: positive('--ratio-step-seconds', optionValue(argv, 'ratio-step-seconds', 'BENCH_RATIO_STEP_SECONDS'), 10),
    serverCore,
    loadCore,
    gatewayEnv,
    cpuProfDir: optionValue(argv, 'cpu-prof', 'BENCH_CPU_PROF'),
    nodeFlags: flagList(optionValue(argv, 'node-flags', 'BENCH_NODE_FLAGS')) ?? [],
    joins: Math.round(nonNegative('--joins', optionValue(argv, 'joins', 'BENCH_JOINS'), 10_000)),
    joinConcurrency: Math.round(positive('--join-concurrency', optionValue(argv, 'join-concurrency', 'BENCH_JOIN_CONCURRENCY'), 50)),
    joinRepeats: Math.round(positive('--join-repeats', optionValue(argv, 'join-repeats', 'BENCH_JOIN_REPEATS'), 3)),
    jsonFile: optionValue(argv, 'json', 'BENCH_JSON'),
    baselineGateway,
    baselineNodeFlags: flagList(optionValue(argv, 'baseline-node-flags', 'BENCH_BASELINE_NODE_FLAGS')),
    baselineGatewayEnv: optionValue(argv, 'baseline-gateway-env', 'BENCH_BASELINE_GATEWAY_ENV') === undefined ? undefined : gatewayEnvOption(argv, 'baseline-gateway-env', 'BENCH_BASELINE_GATEWAY_ENV'),
    tracing: tracing === 'on',
  };
}
