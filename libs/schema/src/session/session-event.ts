import type { ConnectionState, IceConnectionState, IceGatheringState, SignalingState } from '../client-messages/state.message';
import type { StatsReport } from '../client-messages/stats-report';
import type { NodeId, PeerId, RoomId } from '../ids';
import type { PeerLeftReason } from '../server-messages/server-message';

/**
 * What the gateway tells the indexer, through a durable Redis stream. Times are
 * Unix milliseconds. The indexer folds these into session documents (section 2).
 */
export type SessionEvent =
  | PeerJoinedEvent
  | PeerLeftEvent
  | SignalRelayedEvent
  | StateReportedEvent
  | StatsReportedEvent;

interface SessionEventBase {
  /** Unix time in milliseconds at the gateway. */
  t: number;
  room: RoomId;
  node: NodeId;
}

export interface PeerJoinedEvent extends SessionEventBase {
  kind: 'peer-joined';
  peer: PeerId;
  user: string | null;
  /** `ip:port` as the gateway saw it. */
  remoteAddr: string;
  userAgent: string | null;
  name?: string;
}

export interface PeerLeftEvent extends SessionEventBase {
  kind: 'peer-left';
  peer: PeerId;
  reason: PeerLeftReason;
}

/** One per receiver: a room-wide offer to three peers is three events. */
export interface SignalRelayedEvent extends SessionEventBase {
  kind: 'signal';
  signal: 'offer' | 'answer' | 'candidate';
  from: PeerId;
  to: PeerId;
  /** The candidate line, for candidate-type classification. */
  candidate?: string;
}

export interface StateReportedEvent extends SessionEventBase {
  kind: 'state';
  peer: PeerId;
  to?: PeerId;
  connectionState?: ConnectionState;
  iceConnectionState?: IceConnectionState;
  signalingState?: SignalingState;
  iceGatheringState?: IceGatheringState;
  reason?: string;
}

export interface StatsReportedEvent extends SessionEventBase {
  kind: 'stats';
  peer: PeerId;
  to?: PeerId;
  report: StatsReport;
}
