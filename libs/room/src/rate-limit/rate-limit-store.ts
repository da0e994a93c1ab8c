/** Events to add to one key's fixed window (see sliding-window.ts). */
export interface WindowIncrement {
  readonly key: string;
  readonly window: number;
  readonly delta: number;
}

/** Cluster-wide counts of a key in the incremented window and the one before it. */
export interface WindowCounts {
  readonly current: number;
  readonly previous: number;
}

/**
 * Port: the counts every gateway node shares. `add` is atomic per call, so two
 * nodes adding at once both see a total that includes the other's events.
 */
export abstract class RateLimitStore {
  /** Adds each delta (0 only reads) and returns the counts after it, in the same order. */
  abstract add(increments: readonly WindowIncrement[]): Promise<WindowCounts[]>;
}
