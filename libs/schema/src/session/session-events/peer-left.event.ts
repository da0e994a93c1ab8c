import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { PEER_LEFT_REASONS, type PeerLeftReason } from '../../server-messages/server-message';
import { SessionEventBase } from './session-event-base';

/** A peer left the room, for the reason its `peer-left` frame gave the others. */
export class PeerLeftEvent extends SessionEventBase {
  readonly kind = 'peer-left' as const;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  @IsIn(PEER_LEFT_REASONS)
  reason!: PeerLeftReason;
}
