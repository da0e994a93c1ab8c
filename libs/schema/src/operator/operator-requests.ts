import { IsBoolean, IsInt, IsNumber, Matches, Min } from 'class-validator';
import { NODE_ID_PATTERN, ROOM_ID_PATTERN } from '../ids';

const PEER_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Ask a gateway node to remove one of its peers (close 4000, `peer-left` `kicked`, resume token void). */
export class KickPeerRequest {
  @Matches(ROOM_ID_PATTERN, { message: 'room must match ^[A-Za-z0-9_-]{1,64}$' })
  room!: string;

  @Matches(PEER_ID_PATTERN, { message: 'peer must be 1 to 128 printable ASCII characters' })
  peer!: string;
}

/** Ask a gateway node to remove every peer of a room it holds. */
export class CloseRoomRequest {
  @Matches(ROOM_ID_PATTERN, { message: 'room must match ^[A-Za-z0-9_-]{1,64}$' })
  room!: string;
}

/** A node's answer to a kick: `kicked` false when it holds no such peer. */
export class KickPeerReply {
  @IsBoolean()
  kicked!: boolean;
}

/** A node's answer to closing a room: how many of its peers it removed. */
export class CloseRoomReply {
  @IsInt()
  @Min(0)
  kicked!: number;
}

/** A node's answer to drain or undrain: its state after acting. */
export class DrainReply {
  @IsBoolean()
  draining!: boolean;
}

/** The payload of every node lifecycle notification. */
export class NodeLifecycleEvent {
  @Matches(NODE_ID_PATTERN, { message: 'node_id must be a node id' })
  node_id!: string;

  @IsBoolean()
  draining!: boolean;

  /** Unix seconds when the node sent it. */
  @IsNumber()
  at!: number;
}
