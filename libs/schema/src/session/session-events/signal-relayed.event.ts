import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { SignalType } from '../../client-messages/client-message';
import { Optional } from '../../client-messages/optional';
import type { PeerId } from '../../ids';
import { ICE_UFRAG_MAX_LENGTH } from '../../client-messages/ice-ufrag-of';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

const SIGNAL_TYPES = ['offer', 'answer', 'candidate'] as const satisfies readonly SignalType[];

/** One per receiver: a room-wide offer to three peers is three events. */
export class SignalRelayedEvent extends SessionEventBase {
  readonly kind = 'signal' as const;

  @IsIn(SIGNAL_TYPES)
  signal!: (typeof SIGNAL_TYPES)[number];

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  from!: PeerId;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  to!: PeerId;

  /** The candidate line, for candidate-type classification; `""` marks the end of candidates. */
  @Optional()
  @IsString()
  @MaxLength(LIMITS.candidateMaxLength)
  candidate?: string;

  /**
   * The ICE username fragment of an offer's (or answer's) SDP, `iceUfragOf`, when it has one:
   * a later offer of the pair with new credentials is an ICE restart, with the same ones a
   * renegotiation (PROTOCOL section 2). Absent for candidates, and on events written before
   * gateways sent it.
   */
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(ICE_UFRAG_MAX_LENGTH)
  iceUfrag?: string;
}
