import type { SessionDocument, SessionFailureReason, SessionKind } from '@sg/schema';
import type { SessionFold, Timed } from '@sg/session';

type ReportedStat = 'rtt_ms' | 'packet_loss_pct' | 'jitter_ms';

/** What the call-quality metrics read of a session at one point of its folding. */
export interface SessionQuality {
  kind: SessionKind;
  /** Side B's gateway node: the peer the offer reached, or for a probe the node that ran it. */
  node: string;
  failureReason: SessionFailureReason | null;
  ended: boolean;
  timeToConnectedMs: number | null;
  relayUsed: boolean | null;
  /** The latest report of each stat, with the gateway time it came at: a later time is a new report. */
  stats: Partial<Record<ReportedStat, Timed<number>>>;
}

/** What changed between two points of a session, as the call-quality metrics count it. */
export interface QualityChanges {
  kind: SessionKind;
  node: string;
  /**
   * Counted as started now: an offer reached its peer, and side B's node is known (its
   * admission may be read after the offer), or the session failed or ended without it.
   */
  started: boolean;
  /** A failure decided now (the first, or a new one after a recovery). */
  failed: SessionFailureReason | null;
  /** Connected for the first time, this long after the offer. */
  connectedSeconds: number | null;
  /** The path the first stats report showed. */
  path: 'relay' | 'direct' | null;
  rttSeconds: number | null;
  lossRatio: number | null;
  jitterSeconds: number | null;
}

/** A node id label for a session whose side B has not been seen yet. */
export const UNKNOWN_NODE = 'unknown';

/** Reads a session's quality from its document and the fold it was rendered from (copied: the fold changes in place). */
export function sessionQuality(document: SessionDocument, fold: Pick<SessionFold, 'stats'>): SessionQuality {
  const stats: SessionQuality['stats'] = {};
  for (const key of ['rtt_ms', 'packet_loss_pct', 'jitter_ms'] as const) {
    const stat = fold.stats[key];
    if (stat) stats[key] = { t: stat.t, v: stat.v };
  }
  return {
    kind: document.kind,
    node: document.client_b_node ?? UNKNOWN_NODE,
    failureReason: document.failure_reason,
    ended: document.ended_at !== null,
    timeToConnectedMs: document.time_to_connected_ms,
    relayUsed: document.relay_used,
    stats,
  };
}

/**
 * What a write changed in a session: `before` is the session as the store held it (null
 * when new), `after` as written. Comparing stored states, not events, keeps the counts
 * exact when a batch is redelivered (the store already holds its result: nothing changes).
 * Stats are sampled as indexed: a session's latest report of each stat per written batch.
 */
export function qualityChanges(before: SessionQuality | null, after: SessionQuality): QualityChanges {
  return {
    kind: after.kind,
    node: after.node,
    started: !countedAsStarted(before) && countedAsStarted(after),
    failed: after.failureReason !== null && after.failureReason !== before?.failureReason ? after.failureReason : null,
    connectedSeconds: after.timeToConnectedMs !== null && (before?.timeToConnectedMs ?? null) === null ? Math.max(0, after.timeToConnectedMs) / 1000 : null,
    path: after.relayUsed !== null && (before?.relayUsed ?? null) === null ? (after.relayUsed ? 'relay' : 'direct') : null,
    rttSeconds: nonNegative(newReport(before, after, 'rtt_ms'), 1000),
    lossRatio: lossRatio(newReport(before, after, 'packet_loss_pct')),
    jitterSeconds: nonNegative(newReport(before, after, 'jitter_ms'), 1000),
  };
}

/** A session waits for its node to be counted as started, unless it fails or ends first: a pure function of the stored state, so counted once. */
function countedAsStarted(quality: SessionQuality | null): boolean {
  return quality !== null && (quality.node !== UNKNOWN_NODE || quality.ended || quality.failureReason !== null);
}

function newReport(before: SessionQuality | null, after: SessionQuality, stat: ReportedStat): number | null {
  const now = after.stats[stat];
  if (!now) return null;
  const was = before?.stats[stat];
  return was && was.t >= now.t ? null : now.v;
}

/** Clients' numbers are not checked for sense: a negative time is dropped. */
function nonNegative(ms: number | null, per: number): number | null {
  return ms === null || ms < 0 ? null : ms / per;
}

/** Percent to a ratio, within 0 to 1. */
function lossRatio(pct: number | null): number | null {
  return pct === null || pct < 0 ? null : Math.min(pct, 100) / 100;
}
