import { IsString, MaxLength } from 'class-validator';
import { LIMITS } from '../limits';
import { AddressedMessageBase } from './client-message-base';

/** SDP offer; without `to` it goes to every other peer of the room. */
export class OfferMessage extends AddressedMessageBase {
  readonly type = 'offer' as const;

  @IsString()
  @MaxLength(LIMITS.sdpMaxLength)
  sdp!: string;
}
