import { IsNumber } from 'class-validator';
import { Optional } from './optional';
import { ClientMessageBase } from './client-message-base';

/** Application ping; answered with `pong` carrying the same `t`. */
export class PingMessage extends ClientMessageBase {
  readonly type = 'ping' as const;

  @Optional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  t?: number;
}
