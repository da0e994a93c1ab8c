/** Latency summary of one step, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Nearest-rank percentile of values in any order, those that are not finite left out. */
export function percentileOfUnsorted(values: readonly number[], p: number): number {
  return percentile(Float64Array.from(values.filter(Number.isFinite)).sort(), p);
}

/** Sorts `samples` in place (microseconds) and summarizes them in milliseconds. */
export function summarizeMicros(samples: Float64Array): LatencySummary {
  samples.sort();
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i];
  const ms = (us: number) => us / 1000;
  return {
    count: samples.length,
    p50: ms(percentile(samples, 50)),
    p99: ms(percentile(samples, 99)),
    max: ms(samples.length ? samples[samples.length - 1] : Number.NaN),
    mean: ms(samples.length ? sum / samples.length : Number.NaN),
  };
}
