import type { PeerSink, RoomMember } from '@sg/room';
import type { PeerId, RoomId } from '@sg/schema';
import { WebSocket } from 'ws';
import { CLOSE_CODE } from './close-codes';

/** Frames a peer may send before its admission completes; more is abuse. */
const EARLY_FRAME_LIMIT = 32;

/**
 * One peer's socket and what the gateway knows about how it is ending. It is
 * the room's PeerSink: the room logic hands it frames, never touches `ws`.
 */
export class ConnectedPeer implements PeerSink {
  byeReceived = false;
  endedByServer: 'too-large' | 'heartbeat-timeout' | null = null;
  /** Answered the last heartbeat ping. */
  alive = true;
  /** Set once admitted; frames that arrive before are held in `early`. */
  member: RoomMember | null = null;
  readonly early: string[] = [];
  /** Frames held while a routing lookup is in flight, to keep the peer's order. */
  backlog: string[] | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly room: RoomId,
    readonly peerId: PeerId,
    readonly remoteAddr: string,
    readonly userAgent: string | null,
    readonly name: string | undefined,
    private readonly sendBufferMaxBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // a peer that does not read its socket must not grow our memory without bound
    if (this.ws.bufferedAmount > this.sendBufferMaxBytes) {
      this.close(CLOSE_CODE.tryAgainLater, 'send buffer full');
      return;
    }
    this.ws.send(frame);
  }

  /** Holds a frame that arrived before admission; false when over the limit. */
  holdEarly(frame: string): boolean {
    if (this.early.length >= EARLY_FRAME_LIMIT) return false;
    this.early.push(frame);
    return true;
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}
