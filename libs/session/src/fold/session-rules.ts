/** The deadlines of PROTOCOL section 2, from the indexer's configuration. */
export interface SessionRules {
  /** No answer within this long after the offer: `failed` / `no-answer`. */
  readonly negotiationTimeoutMs: number;
  /** Answered but not `connected` within this long: `failed` / `ice-timeout`. */
  readonly iceTimeoutMs: number;
}

export const DEFAULT_SESSION_RULES: SessionRules = { negotiationTimeoutMs: 30_000, iceTimeoutMs: 30_000 };

/** PROTOCOL section 2: the timeline keeps the newest 200 events. */
export const TIMELINE_MAX_EVENTS = 200;
