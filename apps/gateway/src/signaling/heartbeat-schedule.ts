/** Due heartbeats are taken together at most this often: a peer is pinged at most this much after its due time. */
export const HEARTBEAT_TICK_MS = 50;

interface Due<T> {
  readonly entry: T;
  readonly at: number;
}

/**
 * When each peer's next heartbeat is due: one interval after its last, each peer on its own
 * clock. One pass over every socket at once held the event loop for 0.16 to 0.56 s at 19,000
 * connections (a ping is a socket write; docs/benchmarks.md, the soak), so pings are spread
 * as peers joined, and each tick takes only those due. Intervals are all equal, so the queue
 * stays in due order and a tick looks only at its head. Entries are never removed early:
 * `visit` decides, when one comes due, whether it is still there.
 */
export class HeartbeatSchedule<T> {
  private queue: Array<Due<T>> = [];
  private head = 0;

  constructor(private readonly intervalMs: number) {}

  /** Entries scheduled, gone ones included until they come due. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** When the first entry comes due (gone ones included); undefined when there is none. */
  nextDue(): number | undefined {
    return this.head < this.queue.length ? this.queue[this.head].at : undefined;
  }

  /** The first heartbeat of `entry` is due one interval from `now`. */
  add(entry: T, now: number): void {
    this.queue.push({ entry, at: now + this.intervalMs });
  }

  /**
   * Visits every entry due by `now`, in due order; `visit` returns whether the entry stays,
   * and then its next heartbeat is due one interval from `now`.
   */
  runDue(now: number, visit: (entry: T) => boolean): void {
    // entries re-added during this run are due an interval later: never visited twice in one run
    while (this.head < this.queue.length && this.queue[this.head].at <= now) {
      const { entry } = this.queue[this.head++];
      if (visit(entry)) this.queue.push({ entry, at: now + this.intervalMs });
    }
    if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
