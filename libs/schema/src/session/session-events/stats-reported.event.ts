import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { StatsReport } from '../../client-messages/stats-report';
import { PeerReportEventBase } from './peer-report-event-base';

/** A peer's `stats` message: its getStats() summary with peer `to`. */
export class StatsReportedEvent extends PeerReportEventBase {
  readonly kind = 'stats' as const;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  report!: StatsReport;
}
