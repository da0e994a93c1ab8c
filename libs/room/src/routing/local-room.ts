import type { PeerId } from '@sg/schema';
import type { PeerSink } from '../ports/peer-sink';
import type { SerializedFrame } from '../ports/serialized-frame';
import type { RoomMember } from '../room-member';

/** Frames held for a peer whose join is still being admitted. */
export const PENDING_QUEUE_LIMIT = 256;

/** A peer hosted by this node: connected, being admitted, or detached (socket lost). */
export interface PeerSlot {
  sink: PeerSink | null;
  /** Non-null while the join is pending: frames wait here until `welcome` is sent. */
  queue: SerializedFrame[] | null;
}

/** One room as this node sees it: every member (any node) and the local slots. */
export class LocalRoom {
  readonly members = new Map<PeerId, RoomMember>();
  readonly slots = new Map<PeerId, PeerSlot>();
  /**
   * Peers announced as gone while a local join was pending: the join's member
   * snapshot predates their departure and must not bring them back.
   */
  readonly departedWhilePending = new Set<PeerId>();

  get hasPendingJoin(): boolean {
    for (const slot of this.slots.values()) if (slot.queue !== null) return true;
    return false;
  }

  /** Hands a frame to a local peer: sent, queued while pending, or dropped while detached. */
  deliverTo(peerId: PeerId, frame: SerializedFrame): boolean {
    const slot = this.slots.get(peerId);
    if (!slot) return false;
    if (slot.queue !== null) {
      if (slot.queue.length < PENDING_QUEUE_LIMIT) slot.queue.push(frame);
      return true;
    }
    if (!slot.sink) return false;
    slot.sink.send(frame);
    return true;
  }
}
