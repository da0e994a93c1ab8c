import type { SessionTrace } from './traced-sessions';

/**
 * How long a session's root span stays open without an outcome: the two negotiation deadlines'
 * defaults (NEGOTIATION_TIMEOUT_MS, ICE_TIMEOUT_MS). Past it the indexer decides the ending.
 */
export const ROOT_SPAN_MAX_MS = 60_000;
const SWEEP_INTERVAL_MS = 5_000;

/**
 * The root spans this node started and has not ended: each ends once, with its outcome, and
 * at the latest ROOT_SPAN_MAX_MS after it started (a sweep every SWEEP_INTERVAL_MS, while any
 * root has been opened).
 */
export class OpenRootSpans {
  private readonly open = new Set<SessionTrace>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly now: () => number) {}

  opened(session: SessionTrace): void {
    this.open.add(session);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  /** Ends the session's root, if this node holds it open; never before it started. */
  end(session: SessionTrace, outcome: string, at: number): void {
    if (!session.root) return;
    session.root.setAttribute('signaling.outcome', outcome);
    session.root.end(Math.max(at, session.rootStartedAt));
    session.root = null;
    this.open.delete(session);
  }

  /** Stops sweeping and ends every root still open, so the SDK exports them when it flushes. */
  endAll(outcome: string): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const session of [...this.open]) this.end(session, outcome, this.now());
  }

  private sweep(): void {
    const now = this.now();
    for (const session of this.open) if (now - session.rootStartedAt >= ROOT_SPAN_MAX_MS) this.end(session, 'unsettled', now);
  }
}
