import type { PeerId, RoomId } from '@sg/schema';
import type { RoomMember } from '../room-member';

/**
 * What one gateway node sends another: a serialized server frame for some of
 * the receiver's local peers of one room, plus the membership change it announces.
 */
export interface NodeMessage {
  readonly room: RoomId;
  /** Local peers of the receiving node that get `frame`; all must be in `room`. */
  readonly to: readonly PeerId[];
  readonly frame: string;
  /** The frame's `type`, so the receiving node counts it without parsing. */
  readonly type: string;
  /** The sending peer of a relayed signal. */
  readonly from?: PeerId;
  /** Unix milliseconds when the sender published it, for the fan-out latency metric. */
  readonly sentAt: number;
  readonly joined?: RoomMember;
  readonly left?: PeerId;
  /**
   * With tracing on, the trace of each addressed peer's session with `from`, so the receiving
   * node continues it: `peer=traceparent` pairs joined by `,` (W3C traceparents of the sessions'
   * root spans). Absent with tracing off.
   */
  readonly trace?: string;
}
