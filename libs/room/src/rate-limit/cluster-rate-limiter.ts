import type { WindowCounts, WindowIncrement } from './rate-limit-store';
import { RATE_LIMIT_WINDOW_MS, slidingEstimate, windowOf } from './sliding-window';

/** A key (e.g. `ip:203.0.113.7`, `room:abc`) and its limit per window; limit 0 = off. */
export interface LimitedKey {
  readonly key: string;
  readonly limit: number;
}

interface KeyState {
  window: number;
  /** Cluster-wide count of the previous window, as last known. */
  previous: number;
  /** Cluster-wide count of this window as last reconciled, plus this node's events already sent. */
  known: number;
  /** This node's events of this window not yet sent to the store. */
  pending: number;
  /** The key's limit as last asked for. */
  limit: number;
}

/**
 * Cluster-wide message limits without a Redis round trip per message: each
 * node decides locally from the cluster counts it last saw plus its own
 * events, and every sync interval sends its new events in one atomic batch
 * (`drain`) and learns the cluster's totals back (`reconcile`).
 *
 * Bound: a node does not see other nodes' events of the last sync interval
 * (plus one round trip), so with N nodes a window admits at most the limit
 * plus what the other N-1 nodes admitted in that blind spot, and never more
 * than N times the limit. Keys past half their limit are re-read every
 * interval even without new local events, so a node that falls quiet on a
 * busy key still sees the others' count; a key that is quieter than that is
 * decided on the count last seen until the node's own next sync. While the
 * store is unreachable nothing is learnt and each node holds the limits alone.
 */
export class ClusterRateLimiter {
  private readonly states = new Map<string, KeyState>();
  /** Events of a window that ended before they were sent; sent with the next batch. */
  private leftovers: WindowIncrement[] = [];

  constructor(private readonly windowMs = RATE_LIMIT_WINDOW_MS) {}

  /** Number of keys counted, for tests and metrics. */
  get size(): number {
    return this.states.size;
  }

  /**
   * Counts one event against every key, or against none: returns -1 when all
   * are within their limits, else the index of the first key over its limit.
   */
  tryTake(keys: readonly LimitedKey[], now: number): number {
    const window = windowOf(now, this.windowMs);
    for (let i = 0; i < keys.length; i++) {
      const { key, limit } = keys[i];
      if (limit === 0) continue;
      const state = this.stateOf(key, window);
      state.limit = limit;
      if (slidingEstimate(state.previous, state.known + state.pending, now, this.windowMs) + 1 > limit) return i;
    }
    for (let i = 0; i < keys.length; i++) {
      if (keys[i].limit !== 0) this.stateOf(keys[i].key, window).pending++;
    }
    return -1;
  }

  /**
   * This node's new events, to send to the store in one call. They count as
   * known from now on, so a failed send leaves each node with its own counts.
   */
  drain(now: number): WindowIncrement[] {
    const window = windowOf(now, this.windowMs);
    const batch = this.leftovers;
    this.leftovers = [];
    for (const [key, state] of this.states) {
      if (state.window < window) this.roll(key, state, window);
      if (state.pending > 0) {
        batch.push({ key, window: state.window, delta: state.pending });
        state.known += state.pending;
        state.pending = 0;
      } else if (state.known === 0 && state.previous === 0) {
        // nothing of it is within the last window any more
        this.states.delete(key);
      } else if (2 * (state.known + state.previous) >= state.limit) {
        // near its limit: learn the other nodes' events even while this node adds none
        batch.push({ key, window: state.window, delta: 0 });
      }
    }
    return batch;
  }

  /** Learns the cluster-wide counts the store answered for a drained batch. */
  reconcile(batch: readonly WindowIncrement[], counts: readonly WindowCounts[]): void {
    for (let i = 0; i < batch.length; i++) {
      const state = this.states.get(batch[i].key);
      if (!state) continue;
      const { current, previous } = counts[i];
      if (state.window === batch[i].window) {
        // other nodes only add: a smaller answer is one that raced ours
        state.known = Math.max(state.known, current);
        state.previous = Math.max(state.previous, previous);
      } else if (state.window === batch[i].window + 1) {
        state.previous = Math.max(state.previous, current);
      }
    }
  }

  private stateOf(key: string, window: number): KeyState {
    let state = this.states.get(key);
    if (!state) {
      state = { window, previous: 0, known: 0, pending: 0, limit: 0 };
      this.states.set(key, state);
    } else if (state.window < window) {
      this.roll(key, state, window);
    }
    return state;
  }

  private roll(key: string, state: KeyState, window: number): void {
    if (state.pending > 0) this.leftovers.push({ key, window: state.window, delta: state.pending });
    state.previous = window === state.window + 1 ? state.known + state.pending : 0;
    state.known = 0;
    state.pending = 0;
    state.window = window;
  }
}
