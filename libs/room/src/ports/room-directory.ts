import type { NodeId, PeerId, RoomId } from '@sg/schema';
import type { RoomMember } from '../room-member';

export type JoinRoomResult =
  | { readonly admitted: true; readonly others: RoomMember[] }
  | { readonly admitted: false; readonly reason: 'full' | 'rate-limited' };

/**
 * A connection attempt to count in the join's own atomic step (PROTOCOL section 1, 4429):
 * `key`'s sliding window (ConnectionAttemptLimiter) gains one, and a count over `limit`
 * refuses the join.
 */
export interface JoinAttempt {
  readonly key: string;
  readonly limit: number;
  /** Unix ms of the attempt: which fixed window it counts in, and how much of the previous one still weighs. */
  readonly at: number;
  readonly windowMs: number;
}

export interface LeaveRoomResult {
  /** False when the peer was already gone (e.g. reaped after its node was declared dead). */
  readonly removed: boolean;
  /** The seat belongs to a newer connection of the peer (it resumed): nothing was removed. */
  readonly superseded?: boolean;
  readonly remaining: RoomMember[];
}

/**
 * The cluster-wide membership of rooms: the one source of truth for who is in
 * a room and on which node. Every operation is atomic across all nodes.
 */
export abstract class RoomDirectory {
  /**
   * Adds `member` unless the room already holds `capacity` peers; returns the others.
   * With `resumeTokenHash`, the peer can later resume with that token (ResumeDirectory).
   * With `attempt` (only where `countsAttempts`), the attempt is counted first and may refuse.
   */
  abstract join(room: RoomId, member: RoomMember, capacity: number, resumeTokenHash?: string, attempt?: JoinAttempt): Promise<JoinRoomResult>;
  /**
   * Whether join() can count a JoinAttempt in its own step, saving the attempt's round trip;
   * otherwise the caller counts it first and never passes one.
   */
  get countsAttempts(): boolean {
    return false;
  }
  /**
   * Removes a peer hosted by `node` and returns who remains, to tell them; with
   * `resumeTokenHash`, only if that connection still holds the seat. Its resume state goes too.
   */
  abstract leave(room: RoomId, peerId: PeerId, node: NodeId, resumeTokenHash?: string): Promise<LeaveRoomResult>;
  /** One member, or null: the fallback when a node's cached view misses a peer. */
  abstract member(room: RoomId, peerId: PeerId): Promise<RoomMember | null>;
  /** Every member of a room now, on any node (empty for an unknown room). */
  abstract members(room: RoomId): Promise<RoomMember[]>;
}
