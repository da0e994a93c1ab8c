import type { PeerLeftReason } from '@sg/schema';

/** What the gateway knows about how a socket ended. */
export interface SocketEnding {
  /** The peer sent `bye` before the socket closed. */
  readonly byeReceived: boolean;
  /** The close was orderly (a close frame was exchanged), not a lost connection. */
  readonly closeFrameReceived: boolean;
  /** The gateway itself ended the socket: for the peer's fault (too large, no pong), or draining (1001). */
  readonly endedByServer: 'too-large' | 'heartbeat-timeout' | 'drain' | null;
}

/**
 * PROTOCOL section 1, `peer-left`: `bye` wins, an orderly close is `disconnected`,
 * and a lost socket (or a peer that stopped answering pings) is `timeout`, which
 * is only announced after the resume window; null means "wait for the window".
 */
export function peerLeftReasonFor(ending: SocketEnding): PeerLeftReason | null {
  if (ending.byeReceived) return 'bye';
  if (ending.endedByServer === 'too-large') return 'disconnected';
  // a drained peer was told to reconnect (1001): it may resume on another node
  if (ending.endedByServer === 'heartbeat-timeout' || ending.endedByServer === 'drain') return null;
  return ending.closeFrameReceived ? 'disconnected' : null;
}
