import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { buildIceServers, isOriginAllowed, newResumeToken, RoomDirectory, RoomHub, RoomMember, SessionEventSink } from '@sg/room';
import { LIMITS, parseJoinQuery, PeerId, RoomId, WelcomeMessage } from '@sg/schema';
import type { WebSocket } from 'ws';
import { GatewayConfig } from '../config/gateway-config';
import { AdmissionResult, SignalingMetrics } from '../metrics/signaling-metrics';
import { CLOSE_CODE } from './close-codes';
import { ConnectedPeer } from './connected-peer';
import { DepartureService } from './departure.service';
import { remoteAddress } from './remote-address';

/**
 * Admission of one upgraded socket (PROTOCOL section 1): validate the query
 * and origin, take a seat in the room atomically, then `welcome` and announce.
 * Refusals accept the upgrade, send nothing and close with the table's code.
 */
@Injectable()
export class AdmissionService {
  private readonly logger = new Logger(AdmissionService.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: RoomDirectory,
    private readonly events: SessionEventSink,
    private readonly departures: DepartureService,
    private readonly metrics: SignalingMetrics,
  ) {}

  /** Checks what needs no Redis; returns the peer to admit, or null after closing the socket. */
  prepare(ws: WebSocket, request: IncomingMessage): ConnectedPeer | null {
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const query = parseJoinQuery(url.searchParams);
    if (!query.ok) return this.refuse(ws, CLOSE_CODE.badRequest, 'bad-request', query.reason);
    if (!isOriginAllowed(this.config.admission.allowedOrigins, request.headers.origin)) {
      return this.refuse(ws, CLOSE_CODE.forbidden, 'forbidden', 'origin not allowed');
    }
    if (query.query.resume !== undefined) {
      // resumable sessions are not kept by this build, so every token is unknown
      return this.refuse(ws, CLOSE_CODE.badRequest, 'bad-request', 'unknown resume token');
    }
    const peer = new ConnectedPeer(
      ws,
      query.query.room as RoomId,
      randomUUID() as PeerId,
      remoteAddress(request),
      typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, LIMITS.userAgentMaxLength) : null,
      query.query.name,
      this.config.limits.sendBufferMaxBytes,
    );
    return peer;
  }

  /** Takes a seat in the room; on success the peer has its `welcome` and the room knows it. */
  async admit(peer: ConnectedPeer): Promise<boolean> {
    const name = peer.name;
    const member: RoomMember = {
      peerId: peer.peerId,
      node: this.config.nodeId,
      ...(name !== undefined ? { name } : {}),
      user: null,
      joinedAt: Date.now(),
    };
    this.hub.beginJoin(peer.room, peer.peerId);
    let others: RoomMember[];
    try {
      const result = await this.metrics.timeRedis('join', () =>
        this.directory.join(peer.room, member, this.config.admission.roomCapacity),
      );
      if (!result.admitted) {
        this.hub.abortJoin(peer.room, peer.peerId);
        this.refuse(peer.ws, CLOSE_CODE.roomFull, 'full', 'room full');
        return false;
      }
      others = result.others;
    } catch (error) {
      this.hub.abortJoin(peer.room, peer.peerId);
      // the join may have run with only its reply lost: undo it, or the seat stays taken
      void this.departures.leave(peer.room, peer.peerId, 'disconnected');
      this.logger.warn(`admission failed, Redis unavailable: ${String(error)}`);
      this.refuse(peer.ws, CLOSE_CODE.tryAgainLater, 'unavailable', 'try again later');
      return false;
    }
    this.metrics.admission('admitted');
    if (!peer.isOpen) {
      // it went away while we admitted it: others may already have seen it in their welcome
      this.hub.abortJoin(peer.room, peer.peerId);
      void this.departures.leave(peer.room, peer.peerId, 'disconnected');
      return false;
    }
    peer.member = member;
    const welcome: WelcomeMessage = {
      type: 'welcome',
      peerId: peer.peerId,
      room: peer.room,
      peers: others.map((other) => (other.name === undefined ? { peerId: other.peerId } : { peerId: other.peerId, name: other.name })),
      iceServers: buildIceServers(this.config.ice, peer.peerId, Date.now()),
      resumeToken: newResumeToken(),
    };
    this.hub.completeJoin(member, peer.room, others, peer, JSON.stringify(welcome));
    this.metrics.message('welcome', 'out');
    this.metrics.roomsActive.set(this.hub.roomCount);
    this.events.record({
      kind: 'peer-joined',
      t: member.joinedAt,
      room: peer.room,
      node: this.config.nodeId,
      peer: peer.peerId,
      user: null,
      remoteAddr: peer.remoteAddr,
      userAgent: peer.userAgent,
      ...(name !== undefined ? { name } : {}),
    });
    return true;
  }

  private refuse(ws: WebSocket, code: number, result: AdmissionResult, reason: string): null {
    this.metrics.admission(result);
    // ws throws on a close reason over 123 bytes; 120 leaves room for a cut character's replacement
    ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
    return null;
  }
}
