import type { NodeId, PeerId, RoomId, SessionId } from '../ids';

export const SESSION_CONNECTION_STATES = ['new', 'connecting', 'connected', 'disconnected', 'failed', 'closed'] as const;
export type SessionConnectionState = (typeof SESSION_CONNECTION_STATES)[number];

export const SESSION_FAILURE_REASONS = [
  'no-answer',
  'ice-timeout',
  'ice-failed',
  'peer-left-before-connected',
  'node-lost',
  'client-reported',
] as const;
export type SessionFailureReason = (typeof SESSION_FAILURE_REASONS)[number];

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
  ice_restarts: number;
  rtt_ms: number | null;
  packet_loss_pct: number | null;
  jitter_ms: number | null;
  bitrate_kbps: number | null;
  message_counts: Record<string, number>;
  events: SessionTimelineEvent[];
}
