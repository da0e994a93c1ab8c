import { BaseRpcContext } from '@nestjs/microservices';

type RedisStreamsContextArgs = [pattern: string, attempt: number];

/** What a `RedisStreamsTransport` handler gets besides its batch (`@Ctx() context: RedisStreamsContext`). */
export class RedisStreamsContext extends BaseRpcContext<RedisStreamsContextArgs> {
  getPattern(): string {
    return this.args[0];
  }

  /** 1 on a batch's first delivery to the handler, more when the handler is called again after failing on it. */
  getAttempt(): number {
    return this.args[1];
  }
}
