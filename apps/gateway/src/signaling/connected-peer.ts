import type { PeerSink, RoomMember, SerializedFrame } from '@sg/room';
import type { PeerId, RoomId } from '@sg/schema';
import { WebSocket } from 'ws';
import { CLOSE_CODE } from './close-codes';
import { releaseHandshake } from './signaling-ws.adapter';

/** Frames a peer may send before its admission completes; more is abuse. */
const EARLY_FRAME_LIMIT = 32;

/** Every frame the gateway sends is JSON text, also when it hands `ws` the text's bytes. */
const TEXT_FRAME = { binary: false } as const;

/**
 * One peer's socket and what the gateway knows about how it is ending. It is
 * the room's PeerSink: the room logic hands it frames, never touches `ws`.
 */
export class ConnectedPeer implements PeerSink {
  byeReceived = false;
  endedByServer: 'too-large' | 'heartbeat-timeout' | 'drain' | null = null;
  /** SHA-256 of the resume token in this socket's `welcome`: which connection holds the seat. */
  resumeKey: string | null = null;
  /** Answered the last heartbeat ping. */
  alive = true;
  /** Set once admitted; frames that arrive before are held in `early`. */
  member: RoomMember | null = null;
  readonly early: Buffer[] = [];
  /** Called once when the peer is closed for not reading its socket, to count it. */
  onBackpressure: () => void = () => undefined;
  /** Frames held while a routing lookup is in flight, to keep the peer's order. */
  backlog: Buffer[] | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly room: RoomId,
    /** Replaced by the resumed peer's id when the socket resumes (its token names the peer). */
    public peerId: PeerId,
    readonly remoteAddr: string,
    readonly userAgent: string | null,
    readonly name: string | undefined,
    private readonly backpressureThresholdBytes: number,
  ) {}

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends one frame. Bytes go to the socket as they are; a string is encoded and copied
   * once more on its way to the kernel, which is why relayed signals come as bytes.
   */
  send(frame: SerializedFrame): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // a peer that does not read its socket must not grow our memory without bound;
    // ws never blocks a send, so the room's other peers are not slowed by it
    if (this.ws.bufferedAmount > this.backpressureThresholdBytes) {
      this.close(CLOSE_CODE.tryAgainLater, 'backpressure');
      this.onBackpressure();
      return;
    }
    this.ws.send(frame, TEXT_FRAME);
  }

  /** Holds a frame (its UTF-8 text) that arrived before admission; false when over the limit. */
  holdEarly(frame: Buffer): boolean {
    if (this.early.length >= EARLY_FRAME_LIMIT) return false;
    this.early.push(frame);
    return true;
  }

  /** The peer resumed on another socket: this one ends without a departure of its own. */
  superseded(): void {
    this.member = null;
    this.close(CLOSE_CODE.normal, 'resumed on another connection');
  }

  /** Admission has answered (welcome or refusal): the 101 and that answer leave now, together. */
  releaseHandshake(): void {
    releaseHandshake(this.ws);
  }

  close(code: number, reason: string): void {
    // a close during admission (a drain, too many early frames) must not wait for admission
    this.releaseHandshake();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}
