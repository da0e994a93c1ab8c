import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../client-messages/optional';
import type { PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

/** A peer's own report about its connection with peer `to` (`state`, `stats`). */
export abstract class PeerReportEventBase extends SessionEventBase {
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  to?: PeerId;
}
