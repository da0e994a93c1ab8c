import WebSocket from 'ws';

export interface ServerFrame {
  type: string;
  [field: string]: unknown;
}

export interface CloseEvent {
  code: number;
  reason: string;
}

/**
 * A protocol client for tests: collects every frame so a test can await the
 * next one of a type, and records how the socket closed.
 */
export class SignalingClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<CloseEvent>;
  private readonly waiters: Array<() => void> = [];
  /** Frames already returned by next(); each frame is returned once. */
  private readonly taken: boolean[] = [];
  /** How the socket closed, once it has: named in next()'s error. */
  private closeEvent: CloseEvent | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        resolve(this.closeEvent);
        this.notify();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Opens a socket; resolves once the upgrade completed (admission may still refuse). */
  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new SignalingClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_, response) => reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Connects and waits for `welcome`. */
  static async join(url: string, options: WebSocket.ClientOptions = {}): Promise<SignalingClient & { peerId: string; welcome: ServerFrame }> {
    const client = await SignalingClient.connect(url, options);
    const welcome = await client.next('welcome');
    return Object.assign(client, { peerId: welcome['peerId'] as string, welcome });
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The oldest frame (of `type`, if given) not yet returned; waiters for other types do not consume it. */
  async next(type?: string, timeoutMs = 5_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < this.frames.length; i++) {
        if (this.taken[i] || (type !== undefined && this.frames[i].type !== type)) continue;
        this.taken[i] = true;
        return this.frames[i];
      }
      if (this.ws.readyState === WebSocket.CLOSED) {
        const how = this.closeEvent ? ` with ${this.closeEvent.code} "${this.closeEvent.reason}"` : '';
        throw new Error(`socket closed${how} while waiting for ${type ?? 'a frame'}; got ${JSON.stringify(this.frames)}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no ${type ?? 'frame'} within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Asserts nothing (of `type`) arrives for `ms`. */
  async expectQuiet(ms: number, type?: string): Promise<void> {
    const start = this.frames.length;
    await new Promise((r) => setTimeout(r, ms));
    const extra = this.frames.slice(start).filter((frame) => type === undefined || frame.type === type);
    if (extra.length > 0) throw new Error(`expected no ${type ?? 'frames'}, got ${JSON.stringify(extra)}`);
  }

  close(code?: number): void {
    this.ws.close(code);
  }

  /** Drops the TCP connection without a close frame, like a lost network. */
  drop(): void {
    this.ws.terminate();
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
