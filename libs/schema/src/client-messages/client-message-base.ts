import { IsString, MaxLength } from 'class-validator';
import { Optional } from './optional';
import { LIMITS } from '../limits';

/** Fields every client message may carry (PROTOCOL section 1). */
export abstract class ClientMessageBase {
  /** Client correlation id; an `error` caused by this message echoes it as `ref`. */
  @Optional()
  @IsString()
  @MaxLength(LIMITS.messageIdMaxLength)
  id?: string;
}

/** Messages that may be addressed to one peer with `to`. */
export abstract class AddressedMessageBase extends ClientMessageBase {
  @Optional()
  @IsString()
  @MaxLength(LIMITS.peerIdMaxLength)
  to?: string;
}
