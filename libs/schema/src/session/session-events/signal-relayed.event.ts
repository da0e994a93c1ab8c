import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { SignalType } from '../../client-messages/client-message';
import { Optional } from '../../client-messages/optional';
import type { PeerId } from '../../ids';
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
}
