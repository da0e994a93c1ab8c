import type { NodeId, PeerId, PeerLeftReason, RoomId, SessionFailureReason, SessionId } from '@sg/schema';
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
  node: NodeId | null;
  candidateTypes: string[];
  left: { t: number; reason: PeerLeftReason } | null;
}

export interface FailureReport {
  t: number;
  by: Side;
  reason: Extract<SessionFailureReason, 'ice-failed' | 'client-reported'>;
  detail: string | null;
}

export interface TimelineEntry {
  /** Unix ms. */
  t: number;
  type: string;
  by: Side | 'server';
  detail?: string;
}

/**
 * Everything the indexer knows about one session, as facts that merge whatever order
 * events arrive in (events of two nodes reach the stream in flush order, not in the
 * order they happened): earliest/latest times, sets, counts. The session document is
 * rendered from it (`renderSessionDocument`). Times are Unix ms.
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
  offers: number;
  answerAt: number | null;
  connectedAt: number | null;
  lastConnectedAt: number | null;
  /** The latest report saying whether the link is up (connected) or down (disconnected). */
  link: Timed<'up' | 'down'> | null;
  closedAt: number | null;
  /** Earliest first, a few kept: a failure followed by a `connected` report was recovered. */
  failures: FailureReport[];
  reported: Partial<Record<'ice_connection_state' | 'signaling_state' | 'ice_gathering_state', Timed<string>>>;
  stats: Partial<Record<'rtt_ms' | 'packet_loss_pct' | 'jitter_ms' | 'bitrate_kbps', Timed<number>>>;
  relayUsed: boolean | null;
  candidatePairs: string[];
  messageCounts: Record<string, number>;
  /** Ordered by time, newest TIMELINE_MAX_EVENTS kept. */
  timeline: TimelineEntry[];
}
