/** Options of `npm run bench:fanout`; each from `--name=value` or the env variable shown. */
export interface FanoutOptions {
  /** --rooms / FANOUT_ROOMS: rooms whose two peers sit on different nodes. */
  readonly rooms: number;
  /** --rate / FANOUT_RATE: cross-node messages per second, both directions together. */
  readonly rate: number;
  /** --seconds / FANOUT_SECONDS: measured time per phase. */
  readonly seconds: number;
  /** --churn-per-second / FANOUT_CHURN_PER_SECOND: room joins + leaves per second in the churn phase. */
  readonly churnPerSecond: number;
  /** --sizes / FANOUT_SIZES: message sizes in bytes (a candidate ~300, an offer ~3000). */
  readonly sizes: readonly number[];
  /** --redis-core / FANOUT_REDIS_CORE and --client-core / FANOUT_CLIENT_CORE. */
  readonly redisCore: number;
  readonly clientCore: number;
}

function value(argv: readonly string[], flag: string, env: string): string | undefined {
  const found = argv.find((arg) => arg.startsWith(`--${flag}=`));
  return found !== undefined ? found.slice(flag.length + 3) : process.env[env] || undefined;
}

function number(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got "${raw}"`);
  return n;
}

export function parseFanoutOptions(argv: readonly string[] = process.argv.slice(2)): FanoutOptions {
  const sizes = (value(argv, 'sizes', 'FANOUT_SIZES') ?? '300,3000').split(',').map((s) => number('--sizes', s.trim(), 0, 32));
  return {
    rooms: Math.round(number('--rooms', value(argv, 'rooms', 'FANOUT_ROOMS'), 1000, 1)),
    rate: number('--rate', value(argv, 'rate', 'FANOUT_RATE'), 2000, 1),
    seconds: number('--seconds', value(argv, 'seconds', 'FANOUT_SECONDS'), 4, 0.5),
    churnPerSecond: number('--churn-per-second', value(argv, 'churn-per-second', 'FANOUT_CHURN_PER_SECOND'), 200, 1),
    sizes,
    redisCore: Math.round(number('--redis-core', value(argv, 'redis-core', 'FANOUT_REDIS_CORE'), 0, 0)),
    clientCore: Math.round(number('--client-core', value(argv, 'client-core', 'FANOUT_CLIENT_CORE'), 1, 0)),
  };
}
