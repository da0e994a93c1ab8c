import { RATE_LIMIT_WINDOW_MS, slidingEstimate, windowOf } from './sliding-window';

/**
 * One node-local sliding-window count (see sliding-window.ts): the per-peer
 * message limit, which needs no other node, and the local fallback of the
 * cluster-wide limits while Redis is unreachable.
 */
export class SlidingWindowCounter {
  private window = Number.NEGATIVE_INFINITY;
  private previous = 0;
  private current = 0;

  constructor(private readonly windowMs = RATE_LIMIT_WINDOW_MS) {}

  /** Counts one event when it stays within `limit`; refused events are not counted. 0 = no limit. */
  tryTake(limit: number, now: number): boolean {
    if (limit === 0) return true;
    this.roll(now);
    if (slidingEstimate(this.previous, this.current, now, this.windowMs) + 1 > limit) return false;
    this.current++;
    return true;
  }

  /** Counts one event whatever the limit, and says whether it is within it (connection attempts count even when refused). */
  hit(limit: number, now: number): boolean {
    this.roll(now);
    this.current++;
    return limit === 0 || slidingEstimate(this.previous, this.current, now, this.windowMs) <= limit;
  }

  /** True when nothing counted is still within the last window: the counter can be dropped. */
  isIdle(now: number): boolean {
    return windowOf(now, this.windowMs) > this.window + 1 || (this.current === 0 && this.previous === 0);
  }

  private roll(now: number): void {
    const window = windowOf(now, this.windowMs);
    if (window === this.window) return;
    this.previous = window === this.window + 1 ? this.current : 0;
    this.current = 0;
    this.window = window;
  }
}
