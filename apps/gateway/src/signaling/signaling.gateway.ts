import type { IncomingMessage, Server } from 'node:http';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { DrainState } from '@sg/platform';
import type { PeerId, RoomId } from '@sg/schema';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { ProbeService } from '../probe/probe.service';
import { ConnectionLimitsService } from '../rate-limit/connection-limits.service';
import { applyHttpServerLimits } from '../rate-limit/http-server-limits';
import { AdmissionService } from './admission.service';
import { CLOSE_CODE } from './close-codes';
import { ConnectedPeer } from './connected-peer';
import { DepartureService } from './departure.service';
import { SignalDispatcher } from './signal-dispatcher';
import { HeartbeatSchedule } from './heartbeat-schedule';
import { HeartbeatTimer } from './heartbeat-timer';
import { bindFrames, releaseHandshake } from './signaling-ws.adapter';

/** The close code of a connection lost without a close frame. */
const ABNORMAL_CLOSURE = 1006;

const NO_TEXT = Buffer.alloc(0);

/** A frame's bytes as one Buffer: ws gives one for the sockets' default binaryType ('nodebuffer'). */
function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * The `/ws` endpoint (LiveKit's rtcservice, as a Nest gateway): its lifecycle hooks
 * admit sockets, report closes and ping peers; every frame goes to the dispatcher
 * through SignalingWsAdapter's frame binding, registered in afterInit. No room logic here.
 */
@WebSocketGateway({ path: '/ws' })
export class SignalingGateway implements OnGatewayInit, OnGatewayConnection<WebSocket>, OnGatewayDisconnect<WebSocket>, OnApplicationShutdown {
  private readonly logger = new Logger(SignalingGateway.name);
  private readonly peers = new Map<WebSocket, ConnectedPeer>();
  private readonly heartbeats: HeartbeatTimer<ConnectedPeer>;

  constructor(
    private readonly config: GatewayConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly admission: AdmissionService,
    private readonly dispatcher: SignalDispatcher,
    private readonly departures: DepartureService,
    private readonly probe: ProbeService,
    private readonly metrics: SignalingMetrics,
    private readonly limits: ConnectionLimitsService,
    private readonly drain: DrainState,
  ) {
    this.heartbeats = new HeartbeatTimer(new HeartbeatSchedule(config.timing.heartbeatIntervalMs), (peer) => this.heartbeatDue(peer));
  }

  get connectionCount(): number {
    return this.peers.size;
  }

  /** The sockets open now (admitted or being admitted), e.g. to drain them. */
  openPeers(): ConnectedPeer[] {
    return [...this.peers.values()];
  }

  /** The admitted peers of a room connected to this node now. */
  peersOfRoom(room: RoomId): ConnectedPeer[] {
    return this.openPeers().filter((peer) => peer.room === room && peer.member !== null);
  }

  /** One admitted peer connected to this node now, if any. */
  findPeer(room: RoomId, peerId: PeerId): ConnectedPeer | undefined {
    return this.peersOfRoom(room).find((peer) => peer.peerId === peerId);
  }

  afterInit(wss: WebSocketServer): void {
    bindFrames(wss, (ws, data, isBinary) => this.handleFrame(ws, data, isBinary));
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    applyHttpServerLimits(server, this.config.httpTimeouts);
  }

  /** Answers a connection: admits it or closes it with the refusal's code, and releases its held 101 either way. */
  handleConnection(ws: WebSocket, request: IncomingMessage): void {
    const peer = this.accept(ws, request);
    if (!peer) {
      releaseHandshake(ws);
      return;
    }
    // admission counts the attempt (4429) by the address it settled on, proxy headers included
    this.admission.admit(peer).then(
      (admitted) => {
        peer.releaseHandshake();
        if (!admitted) return;
        for (const raw of peer.early.splice(0)) this.dispatch(peer, raw);
      },
      (error: unknown) => this.failed(peer, error),
    );
  }

  /** What needs no Redis: the peer to admit, or null once the socket is refused. */
  private accept(ws: WebSocket, request: IncomingMessage): ConnectedPeer | null {
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        const peer = this.peers.get(ws);
        if (peer) peer.endedByServer = 'too-large';
        return;
      }
      this.logger.debug(`socket error: ${error.message}`);
    });
    if (this.drain.isDraining) {
      // a draining node takes no new peer; 1001 sends it to another node (PROTOCOL section 4)
      ws.close(CLOSE_CODE.goingAway, 'node draining');
      return null;
    }
    if (!this.limits.hasRoomFor(this.peers.size)) {
      // MAX_CONNECTIONS: refused before any admission work, the way PROTOCOL refuses (upgrade, then close)
      this.limits.refuseOverloaded(ws);
      return null;
    }
    this.metrics.websocketsActive.inc();
    const peer = this.admission.prepare(ws, request);
    if (!peer) return null;
    peer.onBackpressure = () => this.limits.backpressureClosed();
    this.peers.set(ws, peer);
    this.heartbeats.add(peer);
    ws.on('pong', () => {
      peer.alive = true;
    });
    return peer;
  }

  /** WsAdapter binds ws's `close` event, whose first argument, the close code, Nest passes on as the reason. */
  handleDisconnect(ws: WebSocket, code?: unknown): void {
    const peer = this.peers.get(ws);
    if (!peer) return;
    this.metrics.websocketsActive.dec();
    this.peers.delete(ws);
    if (peer.member) {
      this.probe.clientGone(peer);
      this.departures.socketClosed(peer, typeof code === 'number' ? code : ABNORMAL_CLOSURE);
    }
  }

  /** Every frame of every socket, in the order it arrived (SignalingWsAdapter's binding). */
  handleFrame(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const peer = this.peers.get(ws);
    if (!peer) return;
    if (!peer.member) {
      // a binary frame held now is answered as not JSON once admitted
      if (!peer.holdEarly(isBinary ? NO_TEXT : frameBytes(data))) peer.close(CLOSE_CODE.tryAgainLater, 'too many frames before welcome');
      return;
    }
    if (isBinary) return this.dispatcher.reject(peer, 'frames must be JSON text, not binary');
    this.dispatch(peer, frameBytes(data));
  }

  /** Closes every socket, e.g. when this node was declared dead by the cluster. */
  closeAll(code: number, reason: string): void {
    for (const peer of this.peers.values()) {
      // their departure was already announced: no second peer-left
      peer.member = null;
      peer.close(code, reason);
    }
  }

  onApplicationShutdown(): void {
    this.heartbeats.stop();
  }

  /** A bug met by one peer's frame ends that peer's socket, not the node and every peer on it. */
  private dispatch(peer: ConnectedPeer, raw: Buffer): void {
    try {
      this.dispatcher.handle(peer, raw);
    } catch (error) {
      this.failed(peer, error);
    }
  }

  private failed(peer: ConnectedPeer, error: unknown): void {
    this.logger.error(`closing a peer after an internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    peer.close(CLOSE_CODE.internalError, 'internal error');
  }

  /** A peer's heartbeat is due: ping it, or end it when it did not answer the last; false once its socket is gone. */
  private heartbeatDue(peer: ConnectedPeer): boolean {
    if (this.peers.get(peer.ws) !== peer) return false;
    // admission still under way: pinged once admitted
    if (!peer.member) return true;
    if (!peer.alive) {
      // no pong for a whole interval: treat as lost, so the resume window applies
      peer.endedByServer = 'heartbeat-timeout';
      this.metrics.heartbeatTimeouts.inc();
      peer.ws.terminate();
      return false;
    }
    peer.alive = false;
    peer.ws.ping();
    return true;
  }
}
