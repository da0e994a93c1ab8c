/** One step of a drain: after `atMs` from its start, close `count` more sockets. */
export interface DrainStep {
  readonly atMs: number;
  readonly count: number;
}

/** Steps are at least this far apart: finer spreading buys nothing and costs timers. */
const MIN_STEP_MS = 50;

/**
 * Spreads the 1001 closes of `peers` sockets evenly over `spreadMs`, so their
 * resumes do not reach the other nodes (JWT checks, Redis calls) all at once.
 * The first step is at 0; the sum of the counts is `peers`.
 */
export function drainSchedule(peers: number, spreadMs: number): DrainStep[] {
  if (peers <= 0) return [];
  const steps = Math.max(1, Math.min(peers, Math.floor(spreadMs / MIN_STEP_MS) + 1));
  const base = Math.floor(peers / steps);
  const extra = peers % steps;
  const interval = steps > 1 ? spreadMs / (steps - 1) : 0;
  return Array.from({ length: steps }, (_, i) => ({ atMs: Math.round(i * interval), count: base + (i < extra ? 1 : 0) }));
}
