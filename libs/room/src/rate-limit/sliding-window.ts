/**
 * PROTOCOL section 1 states every limit per 10 s. Counts are kept in fixed
 * windows of that length, aligned on the epoch so that every node agrees on
 * which window a moment belongs to, and read as a sliding window: the previous
 * window's count weighted by how much of it still lies within the last 10 s,
 * plus the current count. A burst straddling a boundary is seen whole, which
 * plain fixed windows would let through twice.
 */
export const RATE_LIMIT_WINDOW_MS = 10_000;

/** Index of the fixed window `now` (Unix ms) falls in. */
export function windowOf(now: number, windowMs = RATE_LIMIT_WINDOW_MS): number {
  return Math.floor(now / windowMs);
}

/** Events in the 10 s before `now`, estimated from two fixed-window counts. */
export function slidingEstimate(previous: number, current: number, now: number, windowMs = RATE_LIMIT_WINDOW_MS): number {
  const elapsed = (now - windowOf(now, windowMs) * windowMs) / windowMs;
  return previous * (1 - elapsed) + current;
}
