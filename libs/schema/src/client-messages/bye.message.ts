import { ClientMessageBase } from './client-message-base';

/** Leaving on purpose; the server closes with 1000. */
export class ByeMessage extends ClientMessageBase {
  readonly type = 'bye' as const;
}
