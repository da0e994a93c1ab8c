import { IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { LIMITS } from '../limits';
import { AddressedMessageBase } from './client-message-base';

/** Trickle ICE candidate; `candidate: ""` marks the end of candidates. */
export class CandidateMessage extends AddressedMessageBase {
  readonly type = 'candidate' as const;

  @IsString()
  @MaxLength(LIMITS.candidateMaxLength)
  candidate!: string;

  // string or null: browsers send `null` for an unknown mid
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(LIMITS.sdpMidMaxLength)
  sdpMid?: string | null;

  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(0)
  @Max(LIMITS.sdpMLineIndexMax)
  sdpMLineIndex?: number | null;

  // part of RTCIceCandidateInit: relayed so addIceCandidate(init) works as sent
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MaxLength(LIMITS.usernameFragmentMaxLength)
  usernameFragment?: string | null;
}
