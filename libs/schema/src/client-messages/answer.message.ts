import { IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../limits';
import { AddressedMessageBase } from './client-message-base';

/** SDP answer. */
export class AnswerMessage extends AddressedMessageBase {
  readonly type = 'answer' as const;

  @IsString()
  @MaxLength(LIMITS.sdpMaxLength)
  sdp!: string;
}
