import { IsDefined, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { Optional } from '../../client-messages/optional';
import { StatsReport } from '../../client-messages/stats-report';
import type { PeerId } from '../../ids';
import { LIMITS } from '../../limits';
import { SessionEventBase } from './session-event-base';

/** A peer's `stats` message: its getStats() summary with peer `to`. */
export class StatsReportedEvent extends SessionEventBase {
  readonly kind = 'stats' as const;

  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  peer!: PeerId;

  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.peerIdMaxLength)
  to?: PeerId;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  report!: StatsReport;
}
