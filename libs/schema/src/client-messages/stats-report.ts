import { IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../limits';

/** The getStats() summary a client may report; unknown keys are dropped. */
export class StatsReport {
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  rttMs?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  packetLossPct?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  jitterMs?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  bitrateKbps?: number;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  localCandidateType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  remoteCandidateType?: string;

  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.statsStringMaxLength)
  protocol?: string;

  @IsOptional()
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
