import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DrainState } from '@sg/platform';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { ConnectionLimitsService } from '../rate-limit/connection-limits.service';
import { applyHttpServerLimits } from '../rate-limit/http-server-limits';
import { AdmissionService } from './admission.service';
import { CLOSE_CODE } from './close-codes';
import { ConnectedPeer } from './connected-peer';
import { DepartureService } from './departure.service';
import { SignalDispatcher } from './signal-dispatcher';

const WS_PATH = '/ws';

/**
 * The WebSocket loop (LiveKit's rtcservice): accepts upgrades on /ws, hands
 * each frame to the dispatcher, pings peers, and reports closes. No room logic here.
 */
@Injectable()
export class SignalingServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SignalingServer.name);
  private readonly peers = new Set<ConnectedPeer>();
  private wss: WebSocketServer | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: GatewayConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly admission: AdmissionService,
    private readonly dispatcher: SignalDispatcher,
    private readonly departures: DepartureService,
    private readonly metrics: SignalingMetrics,
    private readonly limits: ConnectionLimitsService,
    private readonly drain: DrainState,
  ) {}

  get connectionCount(): number {
    return this.peers.size;
  }

  /** The sockets open now (admitted or being admitted), e.g. to drain them. */
  openPeers(): ConnectedPeer[] {
    return [...this.peers];
  }

  onApplicationBootstrap(): void {
    this.wss = new WebSocketServer({
      noServer: true,
      // frames over the limit close with 1009 (PROTOCOL section 1)
      maxPayload: this.config.limits.messageMaxBytes,
      // compression costs CPU per frame and opens memory attacks; SDP is small
      perMessageDeflate: false,
      clientTracking: false,
    });
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    applyHttpServerLimits(server, this.config.httpTimeouts);
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.heartbeat = setInterval(() => this.pingAll(), this.config.timing.heartbeatIntervalMs);
  }

  /** Closes every socket, e.g. when this node was declared dead by the cluster. */
  closeAll(code: number, reason: string): void {
    for (const peer of this.peers) {
      // their departure was already announced: no second peer-left
      peer.member = null;
      peer.close(code, reason);
    }
  }

  onApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wss?.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH || !this.wss) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (this.drain.isDraining) {
      // PROTOCOL section 4: a draining node takes no new peer; 1001 sends it to another node
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => undefined);
        ws.close(CLOSE_CODE.goingAway, 'node draining');
      });
      return;
    }
    if (!this.limits.hasRoomFor(this.peers.size)) {
      // MAX_CONNECTIONS: refused before any admission work, the way PROTOCOL refuses (upgrade, then close)
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => undefined);
        this.limits.refuseOverloaded(ws);
      });
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accepted(ws, request));
  }

  private accepted(ws: WebSocket, request: IncomingMessage): void {
    this.metrics.websocketsActive.inc();
    ws.once('close', () => this.metrics.websocketsActive.dec());
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return; // handled as too-large below
      this.logger.debug(`socket error: ${error.message}`);
    });
    const peer = this.admission.prepare(ws, request);
    if (!peer) return;
    peer.onBackpressure = () => this.limits.backpressureClosed();
    this.peers.add(peer);
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') peer.endedByServer = 'too-large';
    });
    ws.on('pong', () => {
      peer.alive = true;
    });
    ws.on('message', (data: RawData, isBinary: boolean) => this.frame(peer, data, isBinary));
    ws.once('close', (code: number) => {
      this.peers.delete(peer);
      if (peer.member) this.departures.socketClosed(peer, code);
    });
    // the attempt is counted by the address admission settled on (proxy headers included)
    this.limits
      .admitAttempt(ws, peer.remoteAddr)
      .then((allowed) => allowed && this.admission.admit(peer))
      .then(
        (admitted) => {
          if (!admitted) return;
          for (const raw of peer.early.splice(0)) this.guarded(peer, () => this.dispatcher.handle(peer, raw));
        },
        (error: unknown) => this.failed(peer, error),
      );
  }

  private frame(peer: ConnectedPeer, data: RawData, isBinary: boolean): void {
    if (!peer.member) {
      if (!peer.holdEarly(isBinary ? '' : data.toString())) peer.close(CLOSE_CODE.tryAgainLater, 'too many frames before welcome');
      return;
    }
    if (isBinary) return this.dispatcher.reject(peer, 'frames must be JSON text, not binary');
    this.guarded(peer, () => this.dispatcher.handle(peer, data.toString()));
  }

  /** A bug met by one peer's frame ends that peer's socket, not the node and every peer on it. */
  private guarded(peer: ConnectedPeer, handle: () => void): void {
    try {
      handle();
    } catch (error) {
      this.failed(peer, error);
    }
  }

  private failed(peer: ConnectedPeer, error: unknown): void {
    this.logger.error(`closing a peer after an internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    peer.close(CLOSE_CODE.internalError, 'internal error');
  }

  private pingAll(): void {
    for (const peer of this.peers) {
      if (!peer.member) continue;
      if (!peer.alive) {
        // no pong for a whole interval: treat as lost, so the resume window applies
        peer.endedByServer = 'heartbeat-timeout';
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }
}
