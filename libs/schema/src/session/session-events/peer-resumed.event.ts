import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { NODE_ID_PATTERN, type NodeId, type PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

/**
 * A peer whose socket was lost came back with its resume token (PROTOCOL section 1,
 * resume): same peer id, now on `node`. Its peers saw no departure, so the sessions
 * it is in go on; the timeline shows the gap.
 */
export class PeerResumedEvent extends SessionEventBase {
  readonly kind = 'peer-resumed' as const;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  /** The node that hosted the peer before it resumed (the same node or another). */
  @IsString()
  @Matches(NODE_ID_PATTERN, { message: `$property must match ${NODE_ID_PATTERN.source}` })
  previousNode!: NodeId;

  /** `ip:port` of the new socket, as in `peer-joined`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.remoteAddrMaxLength)
  remoteAddr!: string;
}
