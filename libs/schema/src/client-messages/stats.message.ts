import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { AddressedMessageBase } from './client-message-base';
import { StatsReport } from './stats-report';

/** A getStats() summary for diagnostics; never relayed. */
export class StatsMessage extends AddressedMessageBase {
  readonly type = 'stats' as const;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  report!: StatsReport;
}
