import { HEARTBEAT_TICK_MS, HeartbeatSchedule } from './heartbeat-schedule';

/**
 * Runs a HeartbeatSchedule's visits when the first of them comes due, taking what is due
 * together at most every HEARTBEAT_TICK_MS, and sets no timer while nothing is scheduled.
 * A fixed 50 ms tick woke every node 20 times a second whatever it held; at 100 peers and
 * the default interval about three are due a second (docs/benchmarks.md, "Timers that woke
 * an idle gateway"), and a node holding 19,000 still takes its due pings in 50 ms batches.
 */
export class HeartbeatTimer<T> {
  private timer: NodeJS.Timeout | null = null;
  private lastRun = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly schedule: HeartbeatSchedule<T>,
    /** Whether the entry stays (HeartbeatSchedule.runDue). */
    private readonly visit: (entry: T) => boolean,
  ) {}

  /** The entry's first heartbeat is due one interval from now. */
  add(entry: T): void {
    const now = Date.now();
    this.schedule.add(entry, now);
    this.arm(now);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(now: number): void {
    if (this.timer || this.stopped) return;
    const due = this.schedule.nextDue();
    if (due === undefined) return;
    const at = Math.max(due, this.lastRun + HEARTBEAT_TICK_MS);
    this.timer = setTimeout(() => this.run(), Math.max(0, at - now));
  }

  private run(): void {
    this.timer = null;
    const now = Date.now();
    this.lastRun = now;
    try {
      this.schedule.runDue(now, this.visit);
    } finally {
      // a visit that throws must not end every later heartbeat, as a fixed interval would not have
      this.arm(now);
    }
  }
}
