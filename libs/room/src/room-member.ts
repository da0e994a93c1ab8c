import type { NodeId, PeerId } from '@sg/schema';

/** A peer of a room as every node sees it (stored in Redis, cached per node). */
export interface RoomMember {
  readonly peerId: PeerId;
  readonly node: NodeId;
  readonly name?: string;
  readonly user: string | null;
  /** Unix milliseconds. */
  readonly joinedAt: number;
}
