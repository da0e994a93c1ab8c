import type { IncomingHttpHeaders } from 'node:http';

/** What access checks read of an upgrade request; an `IncomingMessage` is one, and tests build plain objects. */
export interface PeerRequest {
  readonly headers: IncomingHttpHeaders;
  readonly socket: { readonly remoteAddress?: string; readonly remotePort?: number; readonly encrypted?: boolean };
}
