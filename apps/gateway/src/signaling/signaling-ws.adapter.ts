import { createServer, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** Where every frame of a server's sockets goes: the gateway's dispatch, registered in its afterInit. */
export type FrameSink = (ws: WebSocket, data: RawData, isBinary: boolean) => void;

const frameSinks = new WeakMap<WebSocketServer, FrameSink>();

/** The TCP socket of each socket whose handshake answer is held, until `releaseHandshake`. */
const heldHandshakes = new WeakMap<WebSocket, Duplex>();

/**
 * Sends every frame of `server`'s sockets to `sink` (SignalingWsAdapter's binding), and holds
 * each socket's `101 Switching Protocols` in its TCP socket until the gateway calls
 * `releaseHandshake` for it: the gateway answers a connection (its `welcome`, or the close of a
 * refusal) only once admission has run, and so that answer leaves with the 101 in one write.
 * Whoever binds a sink must release every socket, refused or admitted.
 */
export function bindFrames(server: WebSocketServer, sink: FrameSink): void {
  frameSinks.set(server, sink);
}

/**
 * Lets the socket's held writes go: the 101 and whatever was sent since, in one write. Once
 * per socket; later calls, and calls for a socket that was never held, do nothing.
 */
export function releaseHandshake(ws: WebSocket): void {
  const socket = heldHandshakes.get(ws);
  if (!socket) return;
  heldHandshakes.delete(ws);
  socket.uncork();
}

export interface SignalingSocketOptions {
  /** Frames over this close with 1009 (PROTOCOL section 1, MESSAGE_MAX_BYTES). */
  readonly maxPayload: number;
}

type PathServer = WebSocketServer & { path: string };

/**
 * Nest's WsAdapter with the signaling gateway's socket settings and a direct frame path.
 *
 * Nest's default binding parses every frame as `{event, data}` JSON and runs it through
 * rxjs and a chain of Promises per message (the adapter's pipeline, then the handler's
 * context wrapper); the protocol's frames are `{type, ...}`, parsed once by the domain
 * parser, and most need no reply. That machinery measured as a large share of the relay's
 * cost (docs/architecture.md, "The frame path"), so the binding Nest documents for custom
 * adapters (`bindMessageHandlers`) hands every frame of a gateway that registered a sink
 * (`bindFrames`, from its afterInit) straight to that sink, in the socket's event, with no
 * allocation. A server without a sink keeps Nest's default binding.
 */
export class SignalingWsAdapter extends WsAdapter {
  /** Which server accepted each socket, to find its frame sink. */
  private readonly serverOf = new WeakMap<WebSocket, WebSocketServer>();
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
    const server = this.serverOf.get(client);
    const sink = server ? frameSinks.get(server) : undefined;
    if (!sink) return super.bindMessageHandlers(client, handlers, transform);
    client.on('message', (data: RawData, isBinary: boolean) => sink(client, data, isBinary));
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
    // a join is four writes where the bare relay makes one (docs/benchmarks.md): held, the
    // 101 and the gateway's answer make one. A handshake ws refuses ends the socket, which
    // writes what was held.
    const held = frameSinks.has(target);
    if (held) socket.cork();
    target.handleUpgrade(request, socket, head, (ws) => {
      this.serverOf.set(ws, target);
      if (held) heldHandshakes.set(ws, socket);
      target.emit('connection', ws, request);
    });
  }
}
