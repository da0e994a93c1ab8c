import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { buildIceServers, hashResumeToken, newResumeToken, RoomDirectory, RoomHub, RoomMember, SessionEventSink } from '@sg/room';
import { LIMITS, parseJoinQuery, PeerId, RoomId, WelcomeMessage } from '@sg/schema';
import type { WebSocket } from 'ws';
import { AccessService, AccessVerdict } from '../auth/access.service';
import { GatewayConfig } from '../config/gateway-config';
import { AdmissionResult, SignalingMetrics } from '../metrics/signaling-metrics';
import { ConnectionLimitsService } from '../rate-limit/connection-limits.service';
import { ResumeService } from '../resume/resume.service';
import { CLOSE_CODE } from './close-codes';
import { ConnectedPeer } from './connected-peer';
import { DepartureService } from './departure.service';

/**
 * Admission of one upgraded socket (PROTOCOL section 1): validate the query
 * and origin, take a seat in the room atomically, then `welcome` and announce.
 * Refusals accept the upgrade, send nothing and close with the table's code.
 */
@Injectable()
export class AdmissionService {
  private readonly logger = new Logger(AdmissionService.name);
  /** The token's verdict, started in prepare() and awaited in admit(); the socket's frames are held meanwhile. */
  private readonly verdicts = new WeakMap<ConnectedPeer, Promise<AccessVerdict>>();
  /** The `resume=` token of a socket that asks to resume instead of joining. */
  private readonly resumeTokens = new WeakMap<ConnectedPeer, string>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: RoomDirectory,
    private readonly events: SessionEventSink,
    private readonly departures: DepartureService,
    private readonly metrics: SignalingMetrics,
    private readonly access: AccessService,
    private readonly resumes: ResumeService,
    private readonly limits: ConnectionLimitsService,
  ) {}

  /** Checks what needs no Redis; returns the peer to admit, or null after closing the socket. */
  prepare(ws: WebSocket, request: IncomingMessage): ConnectedPeer | null {
    const url = new URL(request.url ?? '/', 'http://gateway.invalid');
    const query = parseJoinQuery(url.searchParams);
    if (!query.ok) return this.refuse(ws, CLOSE_CODE.badRequest, 'bad-request', query.reason);
    const screening = this.access.screen(request, query.query.room, query.query.token);
    if (!screening.ok) return this.refuse(ws, CLOSE_CODE[screening.close], screening.result, screening.reason);
    const peer = new ConnectedPeer(
      ws,
      query.query.room as RoomId,
      // a resuming socket takes its token's peer id once the token is looked up
      randomUUID() as PeerId,
      screening.remoteAddr,
      typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'].slice(0, LIMITS.userAgentMaxLength) : null,
      query.query.name,
      this.config.limits.backpressureThresholdBytes,
    );
    this.verdicts.set(peer, screening.verdict);
    if (query.query.resume !== undefined) this.resumeTokens.set(peer, query.query.resume);
    return peer;
  }

  /** Takes a seat in the room; on success the peer has its `welcome` and the room knows it. */
  async admit(peer: ConnectedPeer): Promise<boolean> {
    const pending = this.verdicts.get(peer);
    if (!pending) throw new Error('admit() without prepare()');
    this.verdicts.delete(peer);
    const resumeWith = this.resumeTokens.get(peer);
    // every attempt counts (4429): in the join's own Redis step where the directory can, else first
    const attempt = resumeWith === undefined && this.directory.countsAttempts ? this.limits.attemptWithJoin(peer.remoteAddr) : null;
    if (!attempt && !(await this.limits.admitAttempt(peer.ws, peer.remoteAddr))) return false;
    const access = await pending;
    if (!access.ok) {
      // refused before its join: counted on its own, and over the limit it is told so first, as above
      if (attempt && !(await this.limits.admitAttempt(peer.ws, peer.remoteAddr))) return false;
      this.refuse(peer.ws, CLOSE_CODE[access.close], access.result, access.reason);
      return false;
    }
    if (!peer.isOpen) {
      // it went away while its token was checked: no seat to take, but an attempt all the same
      if (attempt) void this.limits.countAttempt(peer.remoteAddr);
      return false;
    }
    if (resumeWith !== undefined) {
      // the room's access rules apply to a resume as to a join; the resume token then names the seat
      return this.resumes.resume(peer, resumeWith, (code, result, reason) => this.refuse(peer.ws, code, result, reason));
    }
    const name = peer.name;
    const member: RoomMember = {
      peerId: peer.peerId,
      node: this.config.nodeId,
      ...(name !== undefined ? { name } : {}),
      user: access.user,
      joinedAt: Date.now(),
    };
    this.hub.beginJoin(peer.room, peer.peerId);
    // stored hashed with the seat, in the join itself: resumable even if this node dies right after
    const resumeToken = newResumeToken();
    peer.resumeKey = hashResumeToken(resumeToken);
    let others: RoomMember[];
    try {
      const result = await this.metrics.timeRedis('join', () =>
        this.directory.join(peer.room, member, this.config.admission.roomCapacity, peer.resumeKey ?? undefined, attempt ?? undefined),
      );
      if (attempt && !this.limits.countedWithJoin(peer.ws, result.admitted || result.reason !== 'rate-limited')) {
        this.hub.abortJoin(peer.room, peer.peerId);
        return false;
      }
      if (!result.admitted) {
        this.hub.abortJoin(peer.room, peer.peerId);
        this.refuse(peer.ws, CLOSE_CODE.roomFull, 'full', 'room full');
        return false;
      }
      others = result.others;
    } catch (error) {
      this.hub.abortJoin(peer.room, peer.peerId);
      // the join may have run with only its reply lost: undo it, or the seat stays taken
      void this.departures.leave(peer.room, peer.peerId, 'disconnected', peer.resumeKey ?? undefined);
      this.logger.warn(`admission failed, Redis unavailable: ${String(error)}`);
      this.refuse(peer.ws, CLOSE_CODE.tryAgainLater, 'unavailable', 'try again later');
      return false;
    }
    this.metrics.admission('admitted');
    if (!peer.isOpen) {
      // it went away while we admitted it: others may already have seen it in their welcome
      this.hub.abortJoin(peer.room, peer.peerId);
      void this.departures.leave(peer.room, peer.peerId, 'disconnected', peer.resumeKey ?? undefined);
      return false;
    }
    peer.member = member;
    const welcome: WelcomeMessage = {
      type: 'welcome',
      peerId: peer.peerId,
      room: peer.room,
      peers: others.map((other) => (other.name === undefined ? { peerId: other.peerId } : { peerId: other.peerId, name: other.name })),
      iceServers: buildIceServers(this.config.ice, peer.peerId, Date.now()),
      resumeToken,
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
      // the token's `sub` (null without auth): the session document's client_*_user
      user: member.user,
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
