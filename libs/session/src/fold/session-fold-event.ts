import type { NodeId, PeerId, PeerLeftEvent, SignalRelayedEvent, StateReportedEvent, StatsReportedEvent } from '@sg/schema';

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

type Positioned<E> = E & { position: StreamPosition };

/** The events `applySessionEvent` folds into one session. */
export type SessionFoldEvent =
  | Positioned<SignalRelayedEvent>
  | Positioned<StateReportedEvent>
  | Positioned<StatsReportedEvent>
  | Positioned<PeerLeftEvent>
  /** A side's admission details, applied whenever they become known; idempotent. */
  | { kind: 'profile'; peer: PeerId; profile: PeerProfile }
  /** Time has reached `t` (Unix ms): lets deadlines fire when no event arrives. Idempotent. */
  | { kind: 'clock'; t: number };
