import { IsNumber, IsOptional } from 'class-validator';
import { ClientMessageBase } from './client-message-base';

/** Application ping; answered with `pong` carrying the same `t`. */
export class PingMessage extends ClientMessageBase {
  readonly type = 'ping' as const;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  t?: number;
}
