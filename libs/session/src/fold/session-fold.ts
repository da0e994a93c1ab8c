import type { NodeId, PeerId, PeerLeftReason, RoomId, SessionId } from '@sg/schema';
import type { StreamPosition } from './session-fold-event';

export type Side = 'a' | 'b';

/** A value with the gateway time (Unix ms) it was reported at; the latest wins. */
export interface Timed<V> {
  t: number;
  v: V;
}

export interface SideFold {
  peer: PeerId;
  user: string | null;
  remoteAddr: string | null;
  userAgent: string | null;
  /** The node of the side's admission (folds written before `firstNode` existed: of its first event read). */
  node: NodeId | null;
  /** The node of the side's earliest event: its node when no admission is known (the probe peer has none). */
  firstNode?: Timed<NodeId>;
  /** The node of the side's latest resume: where it went on after its socket was lost. */
  resumedNode?: Timed<NodeId>;
  /** Sorted, so the document does not depend on which candidate was read first. */
  candidateTypes: string[];
  left: { t: number; reason: PeerLeftReason } | null;
  /**
   * The side's reported `iceConnectionState`s, the newest `ICE_STATES_KEPT` by time: what its
   * ICE was when a later report said only `connectionState: failed` (`dtls-failed`).
   */
  iceStates?: Timed<string>[];
}

/**
 * A `state` report that may decide how the session ends (PROTOCOL section 2, "Rules"): a
 * `failed` state, a `reason`, or a `closed` connection. Kept as reported; which rule it meets
 * (before or after `connected`, recovered or not) is decided when the document is rendered,
 * because a report read late may have happened before one read early.
 */
export interface StateNote {
  t: number;
  by: Side;
  connectionState?: string;
  iceConnectionState?: string;
  reason?: string;
}

/**
 * An offer or answer of the pair, with the ICE credentials it carried: what tells an ICE
 * restart from a renegotiation (PROTOCOL section 2). Answers are kept only when their
 * fragment is known: they say what a side's credentials became.
 */
export interface SdpRecord {
  t: number;
  signal: 'offer' | 'answer';
  from: PeerId;
  /** Its SDP's `a=ice-ufrag`; null when the gateway did not say (events written before it did). */
  ufrag: string | null;
}

/** A failure as folds written before `notes` existed recorded it; read only, to render those folds. */
export interface LegacyFailureReport {
  t: number;
  by: Side;
  reason: 'ice-failed' | 'client-reported';
  detail: string | null;
}

export interface TimelineEntry {
  /** Unix ms. */
  t: number;
  type: string;
  by: Side | 'server';
  detail?: string;
  /** An offer's ICE username fragment: its `ice restart` / `renegotiation` detail is decided when rendered. Never rendered itself. */
  ufrag?: string;
}

/**
 * Everything the indexer knows about one session, as facts that merge whatever order
 * events arrive in (events of two nodes reach the stream in flush order, not in the
 * order they happened): earliest/latest times, sets, counts, lists kept in time order.
 * Every list is ordered by time and then by value, and a bounded one keeps a fixed end of
 * that order, so the same events give the same fold in any arrival order. The session
 * document is rendered from it (`renderSessionDocument`). Times are Unix ms. Folds are
 * stored: a field added later is optional, and the fold of an older version still renders.
 */
export interface SessionFold {
  sessionId: SessionId;
  room: RoomId;
  /** The last stream position applied; anything at or before it is a redelivery. */
  position: StreamPosition | null;
  /**
   * Per writer (gateway sink), the highest sequence number applied: an event at or below
   * it is a second copy (an entry written twice, at a later position). Absent in folds
   * written before sinks numbered their events.
   */
  seen?: Record<string, number>;
  a: SideFold;
  b: SideFold;
  /** The earliest event seen, the creation time when no offer is known. */
  firstAt: number;
  /** The latest time known to have passed: events and clock ticks. */
  clock: number;
  /** The latest event of the session (not clock ticks). */
  lastEventAt: number;
  offerAt: number | null;
  /** Every offer applied, either way. */
  offers: number;
  /** The earliest `SDPS_KEPT` offers and answers (with a known fragment) by time; absent in folds written before it existed. */
  sdpLog?: SdpRecord[];
  answerAt: number | null;
  /** The earliest `connected` report. */
  connectedAt: number | null;
  /** The latest `connected` report: a failure before it was recovered. */
  lastConnectedAt: number | null;
  /** The latest report saying whether the link is up (connected) or down (disconnected). */
  link: Timed<'up' | 'down'> | null;
  /** Reports that may end the session, earliest first; see `StateNote`. Absent in older folds. */
  notes?: StateNote[];
  /** Older folds: the earliest `closed` report; `notes` replaces it. */
  closedAt?: number | null;
  /** Older folds: failures as then classified; `notes` replaces them. */
  failures?: LegacyFailureReport[];
  reported: Partial<Record<'ice_connection_state' | 'signaling_state' | 'ice_gathering_state', Timed<string>>>;
  stats: Partial<Record<'rtt_ms' | 'packet_loss_pct' | 'jitter_ms' | 'bitrate_kbps', Timed<number>>>;
  relayUsed: boolean | null;
  /** Sorted; the first `CANDIDATE_PAIRS_KEPT` in that order kept. */
  candidatePairs: string[];
  messageCounts: Record<string, number>;
  /** Ordered by time, newest TIMELINE_MAX_EVENTS kept. */
  timeline: TimelineEntry[];
  /**
   * The session's trace: the `traceparent` of its earliest traced event (by time, then by value,
   * so any arrival order keeps the same one). Its parent span is the session's root span, which
   * the indexer's writes join (`trace_id` in the document). Absent when no event was traced.
   */
  trace?: Timed<string>;
}
