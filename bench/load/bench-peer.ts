import { WebSocket } from 'ws';
import { FrameTemplate, readStamp, SignalKind, Stamp } from './payloads';

/** Called for every received frame that carries a stamp. */
export type StampListener = (stamp: Stamp) => void;

/** A control frame (welcome, OPEN, error, ...) as parsed JSON. */
export type ControlFrame = { readonly type?: unknown; readonly [key: string]: unknown };

/**
 * One signaling connection of the load. Stamped frames go straight to the listener
 * (no JSON parse on the hot path); anything else is parsed and queued for `waitFor`.
 */
export class BenchPeer {
  readonly socket: WebSocket;
  /** Frames to send to the other peer of the room, set once both are connected. */
  templates: Record<SignalKind, FrameTemplate> | undefined;
  private readonly inbox: ControlFrame[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(socket: WebSocket, onStamp: StampListener, onControl: (frame: ControlFrame) => void) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const stamp = readStamp(data);
      if (stamp) return onStamp(stamp);
      let frame: ControlFrame;
      try {
        frame = JSON.parse(data.toString()) as ControlFrame;
      } catch {
        frame = { type: 'unparsable' };
      }
      onControl(frame);
      this.inbox.push(frame);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  /** Opens a connection; resolves on the upgrade, rejects on error or timeout. */
  static open(url: string, onStamp: StampListener, onControl: (frame: ControlFrame) => void, timeoutMs = 10_000): Promise<BenchPeer> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      const peer = new BenchPeer(socket, onStamp, onControl);
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`connect ${url}: no upgrade within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('open', () => {
        clearTimeout(timer);
        resolve(peer);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`connect ${url}: ${error.message}`));
      });
      socket.once('unexpected-response', (_request, response) => {
        clearTimeout(timer);
        reject(new Error(`connect ${url}: HTTP ${response.statusCode}`));
      });
    });
  }

  /** Resolves with the first queued control frame matching `test` (removing it). */
  async waitFor(test: (frame: ControlFrame) => boolean, what: string, timeoutMs = 10_000): Promise<ControlFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex(test);
      if (index >= 0) return this.inbox.splice(index, 1)[0];
      if (this.closed) throw new Error(`socket closed (code ${this.closeCode()}) while waiting for ${what}; got ${JSON.stringify(this.inbox)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.inbox)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Sends a stamped frame of `kind` to the other peer. */
  send(kind: SignalKind, stamp: string): void {
    const template = this.templates![kind];
    this.socket.send(template.head + stamp + template.tail);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
  }

  private closeCode(): string {
    return String((this.socket as unknown as { _closeCode?: number })._closeCode ?? '?');
  }
}
