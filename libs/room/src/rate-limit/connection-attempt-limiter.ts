import type { JoinAttempt } from '../ports/room-directory';
import type { RateLimitStore } from './rate-limit-store';
import { SlidingWindowCounter } from './sliding-window-counter';
import { RATE_LIMIT_WINDOW_MS, slidingEstimate, windowOf } from './sliding-window';

/** The local fallback drops idle counters once it holds this many (and then twice what remains). */
const LOCAL_PRUNE_SIZE = 10_000;

/**
 * Connection attempts per address across all nodes (PROTOCOL section 1, 4429).
 * Each attempt is one atomic add in the store: exact across nodes. A RoomDirectory
 * that can (one Redis) counts a join's attempt in the join itself (attemptWithJoin),
 * in the same counter. Every attempt counts, refused ones
 * too, so a client retrying in a loop stays refused until it slows down.
 * While the store is unreachable each node counts on its own.
 */
export class ConnectionAttemptLimiter {
  private readonly local = new Map<string, SlidingWindowCounter>();
  private pruneAt = LOCAL_PRUNE_SIZE;

  constructor(
    private readonly store: RateLimitStore,
    private readonly limit: number,
    private readonly clock: () => number = Date.now,
    private readonly windowMs = RATE_LIMIT_WINDOW_MS,
  ) {}

  /** Counts an attempt from `subject`; true when it is within the limit. */
  async attempt(subject: string): Promise<{ allowed: boolean; shared: boolean }> {
    if (this.limit === 0) return { allowed: true, shared: true };
    const now = this.clock();
    try {
      const [counts] = await this.store.add([{ key: attemptKey(subject), window: windowOf(now, this.windowMs), delta: 1 }]);
      return { allowed: slidingEstimate(counts.previous, counts.current, now, this.windowMs) <= this.limit, shared: true };
    } catch {
      return { allowed: this.attemptLocally(subject, this.clock()), shared: false };
    }
  }

  /**
   * The attempt from `subject`, for a RoomDirectory that counts it in the join itself (one round
   * trip instead of two); the same counter and window as attempt(), so both ways add up. Null when
   * attempts are not limited.
   */
  attemptWithJoin(subject: string): JoinAttempt | null {
    if (this.limit === 0) return null;
    return { key: attemptKey(subject), limit: this.limit, at: this.clock(), windowMs: this.windowMs };
  }

  private attemptLocally(subject: string, now: number): boolean {
    let counter = this.local.get(subject);
    if (!counter) {
      if (this.local.size >= this.pruneAt) this.prune(now);
      counter = new SlidingWindowCounter(this.windowMs);
      this.local.set(subject, counter);
    }
    return counter.hit(this.limit, now);
  }

  private prune(now: number): void {
    for (const [subject, counter] of this.local) if (counter.isIdle(now)) this.local.delete(subject);
    // many live addresses: prune less often rather than on every new one
    this.pruneAt = Math.max(LOCAL_PRUNE_SIZE, 2 * this.local.size);
  }
}

function attemptKey(subject: string): string {
  return `conn:${subject}`;
}
