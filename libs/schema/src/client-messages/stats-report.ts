import { IsNumber, IsString, MaxLength } from 'class-validator';
import { Optional } from './optional';
import { LIMITS } from '../limits';

/** The getStats() summary a client may report; unknown keys are dropped. */
export class StatsReport {
  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  rttMs?: number;

  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  packetLossPct?: number;

  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  jitterMs?: number;

  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  bitrateKbps?: number;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  localCandidateType?: string;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  remoteCandidateType?: string;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  protocol?: string;

  @Optional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  relayProtocol?: string;
}

export const STATS_REPORT_KEYS = [
  'rttMs',
  'packetLossPct',
  'jitterMs',
  'bitrateKbps',
  'localCandidateType',
  'remoteCandidateType',
  'protocol',
  'relayProtocol',
] as const satisfies readonly (keyof StatsReport)[];
