import type { NodeId, PeerId, RoomId, SessionId } from '../ids';
import { PEER_LEFT_REASONS } from '../server-messages/server-message';

export const SESSION_CONNECTION_STATES = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'] as const;
export type SessionConnectionState = (typeof SESSION_CONNECTION_STATES)[number];

export const SESSION_FAILURE_REASONS = [
  'no-answer',
  'ice-timeout',
  'ice-failed',
  'dtls-failed',
  'connection-lost',
  'peer-left-before-connected',
  'node-lost',
  'client-reported',
] as const;
export type SessionFailureReason = (typeof SESSION_FAILURE_REASONS)[number];

/** `call`: two clients; `probe`: a client and its node's own peer, always side B (PROTOCOL section 1, "The probe peer"). */
export const SESSION_KINDS = ['call', 'probe'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** How a session ended: the departure reason of the side whose leaving ended it, or `failed`. */
export const SESSION_END_REASONS = [...PEER_LEFT_REASONS, 'failed'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

export interface SessionTimelineEvent {
  t: number;
  type: string;
  by: 'a' | 'b' | 'server';
  detail?: string;
}

/** One negotiation between two peers of a room (PROTOCOL section 2). Times are Unix seconds. */
export interface SessionDocument {
  session_id: SessionId;
  room_id: RoomId;
  kind: SessionKind;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  client_a_id: PeerId;
  client_b_id: PeerId;
  client_a_user: string | null;
  client_b_user: string | null;
  /** `ip:port`; null only until the side's admission event has been read. */
  client_a_remote_addr: string | null;
  client_b_remote_addr: string | null;
  client_a_user_agent: string | null;
  client_b_user_agent: string | null;
  client_a_node: NodeId | null;
  client_b_node: NodeId | null;
  connection_state: SessionConnectionState;
  ice_connection_state: string | null;
  signaling_state: string | null;
  ice_gathering_state: string | null;
  failure_reason: SessionFailureReason | null;
  failure_detail: string | null;
  time_to_answer_ms: number | null;
  time_to_connected_ms: number | null;
  duration_ms: number | null;
  candidate_types_a: string[];
  candidate_types_b: string[];
  relay_used: boolean | null;
  candidate_pairs: string[];
  /** Later offers with new ICE credentials (`a=ice-ufrag`). */
  ice_restarts: number;
  /** Later offers with the same ICE credentials (a track added, screen share). */
  renegotiations: number;
  end_reason: SessionEndReason | null;
  rtt_ms: number | null;
  packet_loss_pct: number | null;
  jitter_ms: number | null;
  bitrate_kbps: number | null;
  message_counts: Record<string, number>;
  /**
   * The session's OpenTelemetry trace id (32 hex digits) when tracing is on and the session's
   * trace was sampled: the trace of its earliest traced event (docs/operations.md, "Tracing").
   */
  trace_id: string | null;
  events: SessionTimelineEvent[];
}
