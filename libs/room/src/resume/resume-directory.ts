import type { NodeId, PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import type { RoomMember } from '../room-member';

/** A resume token's peer, before the token is taken. */
export interface ResumeTokenOwner {
  readonly room: RoomId;
  readonly peerId: PeerId;
}

export type ResumePeerResult =
  | {
      readonly ok: true;
      readonly peerId: PeerId;
      /** The node that hosted the peer before: it drops its slot when told of the move. */
      readonly previousNode: NodeId;
      /** The member as stored now, hosted by the resuming node. */
      readonly member: RoomMember;
      readonly others: RoomMember[];
      /** Frames addressed to the peer while it was away, oldest first. */
      readonly frames: string[];
    }
  | { readonly ok: false };

/** A held peer whose resume window ended: its seat is gone and `remaining` must be told. */
export interface EndedHold {
  readonly room: RoomId;
  readonly peerId: PeerId;
  readonly reason: PeerLeftReason;
  readonly remaining: RoomMember[];
}

export interface BufferForPeerOptions {
  /** Most frames kept per held peer (RESUME_BUFFER_MAX_MESSAGES). */
  readonly limit: number;
  readonly ttlMs: number;
  /** The calling node: a peer it hosts without a socket is unreachable. */
  readonly self: NodeId;
  /** A node the frame could not be published to (no subscriber): treated as unreachable. */
  readonly unreachable: NodeId | null;
  /** False to only locate the peer (membership frames are not buffered: the resume welcome carries the roster). */
  readonly keep: boolean;
}

export type BufferForPeerOutcome =
  | { readonly kind: 'gone' }
  | { readonly kind: 'buffered' }
  | { readonly kind: 'full' }
  | { readonly kind: 'unreachable' }
  /** The peer is reachable on `node` (it resumed there): forward the frame. */
  | { readonly kind: 'hosted'; readonly node: NodeId };

/**
 * Resumable seats across the cluster (PROTOCOL section 1, resume): lost peers are
 * held for the resume window, their frames buffered, and a resume token moves the
 * membership to any node. Tokens are only ever passed here hashed (`hashResumeToken`).
 * Every operation is atomic across all nodes.
 */
export abstract class ResumeDirectory {
  /**
   * Who a token of `room` belongs to, without taking it: lets the node reserve the slot before
   * the move. A token of another room is not found (and stays usable in its own).
   */
  abstract findOwner(room: RoomId, tokenHash: string): Promise<ResumeTokenOwner | null>;
  /** Takes the token once and moves the member to `node` under a new token. */
  abstract resume(room: RoomId, tokenHash: string, newTokenHash: string, node: NodeId): Promise<ResumePeerResult>;
  /** Starts the resume window of a peer whose socket was lost; false if gone or superseded by a resume. */
  abstract hold(room: RoomId, peerId: PeerId, tokenHash: string | null, reason: PeerLeftReason, windowMs: number): Promise<boolean>;
  /**
   * Holds every member of `node` and deregisters it: a dead node (`mustBeDead`, skipped
   * if it heartbeats again) or a draining one leaving. Returns how many were newly held, or null if alive.
   */
  abstract holdNode(node: NodeId, reason: PeerLeftReason, windowMs: number, mustBeDead: boolean): Promise<number | null>;
  /** Ends holds whose window is over; only the first caller gets each one back. */
  abstract endExpiredHolds(limit: number): Promise<EndedHold[]>;
  /** Buffers a frame for a peer that cannot be reached, or says where it can be. */
  abstract bufferFor(room: RoomId, peerId: PeerId, frame: string, options: BufferForPeerOptions): Promise<BufferForPeerOutcome>;
}
