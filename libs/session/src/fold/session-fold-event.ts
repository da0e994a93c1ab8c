import type { NodeId, PeerId, PeerLeftEvent, PeerLeftReason, PeerResumedEvent, SignalRelayedEvent, StateReportedEvent, StatsReportedEvent } from '@sg/schema';

/**
 * Where an event sits in the session-event stream: `<entry id>/<index in the entry>`.
 * Events of one room are read in stream order, so a session never needs an event
 * at or before the position it has already applied: that is how redelivery is ignored.
 */
export type StreamPosition = string;

/** What the gateway knows of a peer from its admission (PROTOCOL section 2, `client_*`). */
export interface PeerProfile {
  user: string | null;
  remoteAddr: string;
  userAgent: string | null;
  node: NodeId;
}

/**
 * Which gateway sink wrote an event and its sequence number there: increasing per writer
 * within a room's shard, and the same in every copy of an entry the sink wrote twice.
 */
export interface EventOrigin {
  writer: string;
  seq: number;
}

type Positioned<E> = E & { position: StreamPosition; origin?: EventOrigin };

/** The events `applySessionEvent` folds into one session. */
export type SessionFoldEvent =
  | Positioned<SignalRelayedEvent>
  | Positioned<StateReportedEvent>
  | Positioned<StatsReportedEvent>
  | Positioned<PeerLeftEvent>
  | Positioned<PeerResumedEvent>
  /** A side's admission details, applied whenever they become known; idempotent. */
  | { kind: 'profile'; peer: PeerId; profile: PeerProfile }
  /**
   * A side's departure read before its session existed (the sides' nodes flush in any
   * order, so a peer-left can reach the stream before the offer it followed). Idempotent.
   */
  | { kind: 'departed'; peer: PeerId; t: number; reason: PeerLeftReason }
  /** Time has reached `t` (Unix ms): lets deadlines fire when no event arrives. Idempotent. */
  | { kind: 'clock'; t: number };
