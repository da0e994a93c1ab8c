import { performance } from 'node:perf_hooks';

/** Runs `op` and pushes its round-trip time in microseconds onto `into`. */
export async function timed(into: number[], op: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await op();
  into.push((performance.now() - start) * 1000);
}

/** Summary of round-trip times in ms. */
export function rttSummary(micros: readonly number[]): { p50: number; p99: number; count: number } {
  const sorted = Float64Array.from(micros).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] / 1000 : Number.NaN);
  return { p50: at(50), p99: at(99), count: sorted.length };
}
