/**
 * Whether this node's own view of the registry can be trusted to judge other nodes dead.
 *
 * Another node's alive key runs out when that node stops heartbeating, but also when
 * Redis itself was away (restarted, paused, unreachable) and nobody could heartbeat: the
 * keys expire meanwhile, and the first node to come back would declare every other node
 * dead before they had a chance to beat again. So a node judges others only after it has
 * itself heartbeated without a gap for a whole TTL plus one interval: by then every live
 * node has beaten too, on the same Redis.
 */
export class HeartbeatContinuity {
  private lastBeatAt: number | null = null;
  private steadySince: number | null = null;

  constructor(
    private readonly options: { readonly heartbeatIntervalMs: number; readonly nodeTtlMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** A heartbeat reached Redis and was answered. */
  beat(): void {
    const at = this.now();
    // a beat later than two intervals after the last one means this node missed at least one
    if (this.lastBeatAt === null || at - this.lastBeatAt > 2 * this.options.heartbeatIntervalMs) this.steadySince = at;
    this.lastBeatAt = at;
  }

  /** A heartbeat failed (Redis away or too slow): judging waits for a steady run again. */
  missed(): void {
    this.lastBeatAt = null;
    this.steadySince = null;
  }

  /** Whether others' expired keys mean they are dead, not that Redis was away. */
  mayJudgeOthers(): boolean {
    if (this.steadySince === null || this.lastBeatAt === null) return false;
    return this.lastBeatAt - this.steadySince >= this.options.nodeTtlMs + this.options.heartbeatIntervalMs;
  }
}
