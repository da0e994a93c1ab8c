import type { PeerId, RoomId } from '../ids';

/** An RTCIceServer as the browser API takes it. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface PeerSummary {
  peerId: PeerId;
  name?: string;
}

export const PEER_LEFT_REASONS = ['bye', 'disconnected', 'timeout', 'node-lost', 'kicked'] as const;
export type PeerLeftReason = (typeof PEER_LEFT_REASONS)[number];

export type ErrorCode = 'schema-error' | 'unknown-peer' | 'rate-limited' | 'too-large' | 'probe-unavailable';

export interface WelcomeMessage {
  type: 'welcome';
  peerId: PeerId;
  room: RoomId;
  peers: PeerSummary[];
  iceServers: IceServer[];
  resumeToken: string;
}

export interface PeerJoinedMessage {
  type: 'peer-joined';
  peerId: PeerId;
  name?: string;
}

export interface PeerLeftMessage {
  type: 'peer-left';
  peerId: PeerId;
  reason: PeerLeftReason;
}

export interface RelayedOffer {
  type: 'offer';
  sdp: string;
  from: PeerId;
}

export interface RelayedAnswer {
  type: 'answer';
  sdp: string;
  from: PeerId;
}

export interface RelayedCandidate {
  type: 'candidate';
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
  from: PeerId;
}

export interface PongMessage {
  type: 'pong';
  t?: number;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  ref?: string;
}

/** Every frame the gateway sends (PROTOCOL section 1, server to client). */
export type ServerMessage =
  | WelcomeMessage
  | PeerJoinedMessage
  | PeerLeftMessage
  | RelayedOffer
  | RelayedAnswer
  | RelayedCandidate
  | PongMessage
  | ErrorMessage;
