import { createServer, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** The one message pattern of the signaling gateway: every text or binary frame of a socket. */
export const SIGNALING_FRAME = 'signaling-frame';

/**
 * Handed to the frame handler in place of a binary frame's bytes. Nest passes a handler
 * its socket and one message argument only, and the protocol refuses binary frames
 * whatever they hold, so the marker carries all the handler needs without an allocation.
 */
export const BINARY_FRAME: unique symbol = Symbol('binary frame');

export interface SignalingSocketOptions {
  /** Frames over this close with 1009 (PROTOCOL section 1, MESSAGE_MAX_BYTES). */
  readonly maxPayload: number;
}

type PathServer = WebSocketServer & { path: string };

/**
 * Nest's WsAdapter with the signaling gateway's socket settings and a direct frame path.
 *
 * Nest's default binding parses every frame as `{event, data}` JSON and runs it through
 * an rxjs pipeline per message (fromEvent, mergeMap, a Promise for the result); the
 * protocol's frames are `{type, ...}` and parsed once by the domain parser, and that
 * per-message machinery measured as a cost on the relay path (docs/architecture.md).
 * So every frame goes, as Nest documents for custom adapters, to the one handler bound to
 * SIGNALING_FRAME, called with the raw bytes; its result is not sent back (the gateway
 * writes its own replies).
 */
export class SignalingWsAdapter extends WsAdapter {
  private readonly upgradeListeners = new Map<number, { server: Server; listener: (request: IncomingMessage, socket: Duplex, head: Buffer) => void }>();

  constructor(
    app: INestApplicationContext,
    private readonly socketOptions: SignalingSocketOptions,
  ) {
    super(app);
  }

  override create(port: number, options?: Record<string, unknown> & { path?: string }): WebSocketServer {
    return super.create(port, {
      ...options,
      maxPayload: this.socketOptions.maxPayload,
      // compression costs CPU per frame and opens memory attacks; SDP is small
      perMessageDeflate: false,
      // the gateway tracks its own peers; ws's set would be a second copy
      clientTracking: false,
    }) as WebSocketServer;
  }

  override bindMessageHandlers(client: WebSocket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    const frameHandler = handlers.find((handler) => handler.message === SIGNALING_FRAME);
    if (!frameHandler) return super.bindMessageHandlers(client, handlers, transform);
    const handle = frameHandler.callback as (frame: RawData | typeof BINARY_FRAME) => unknown;
    client.on('message', (data: RawData, isBinary: boolean) => {
      // the handler guards itself (one peer's failure closes that peer only), so its result is not awaited
      handle(isBinary ? BINARY_FRAME : data);
    });
  }

  /** Socket errors are the client's doing (e.g. a frame over maxPayload): the gateway logs them itself, at debug. */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }

  /**
   * Shares the app's HTTP server like WsAdapter does, but an upgrade to a path no
   * gateway serves gets a 404 answer rather than a silently destroyed socket.
   */
  protected override ensureHttpServerExists(port: number, httpServer?: Server): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    const server = httpServer ?? createServer();
    this.httpServersRegistry.set(port, server);
    const listener = (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(port, request, socket, head);
    server.on('upgrade', listener);
    this.upgradeListeners.set(port, { server, listener });
    return server;
  }

  override async dispose(): Promise<void> {
    for (const { server, listener } of this.upgradeListeners.values()) server.off('upgrade', listener);
    this.upgradeListeners.clear();
    await super.dispose();
  }

  private upgrade(port: number, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const servers = (this.wsServersRegistry.get(port) ?? []) as PathServer[];
    const target = servers.find((server) => server.path === path);
    if (!target) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
  }
}
