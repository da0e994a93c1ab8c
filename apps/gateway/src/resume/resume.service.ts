import { Injectable, Logger } from '@nestjs/common';
import { buildIceServers, HandOverRelay, hashResumeToken, newResumeToken, ResumeDirectory, RoomHub, SessionEventSink } from '@sg/room';
import type { WelcomeMessage } from '@sg/schema';
import { GatewayConfig } from '../config/gateway-config';
import { AdmissionResult, SignalingMetrics } from '../metrics/signaling-metrics';
import { CLOSE_CODE } from '../signaling/close-codes';
import type { ConnectedPeer } from '../signaling/connected-peer';
import { DepartureService } from '../signaling/departure.service';

export type RefuseAdmission = (code: number, result: AdmissionResult, reason: string) => void;

/** Every refusal of a resume reads the same: PROTOCOL section 1 has one reason for all of them. */
const UNKNOWN_TOKEN = 'unknown resume token';

/**
 * Resume of a lost peer on this node (PROTOCOL section 1): the token names the peer,
 * the node reserves its slot, then one atomic call takes the token and moves the
 * membership here with the frames buffered meanwhile. The peer keeps its id and gets
 * a new `welcome` and token; its peers see no departure and no arrival.
 */
@Injectable()
export class ResumeService {
  private readonly logger = new Logger(ResumeService.name);
  /** Peers whose resume is in flight on this node: a second attempt must not share their slot. */
  private readonly resuming = new Set<string>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: ResumeDirectory,
    private readonly events: SessionEventSink,
    private readonly departures: DepartureService,
    private readonly metrics: SignalingMetrics,
    private readonly handOver: HandOverRelay,
  ) {}

  /** Resumes `peer` (admitted by its token's checks) with `token`; refuses it with 4400 when the token is not usable. */
  async resume(peer: ConnectedPeer, token: string, refuse: RefuseAdmission): Promise<boolean> {
    const tokenHash = hashResumeToken(token);
    let owner;
    try {
      owner = await this.metrics.timeRedis('resume', () => this.directory.findOwner(peer.room, tokenHash));
    } catch (error) {
      return this.unavailable(refuse, error);
    }
    // a token of another room is refused like an unknown one, and stays usable in its own
    if (!owner || owner.room !== peer.room || this.resuming.has(owner.peerId)) {
      refuse(CLOSE_CODE.badRequest, 'bad-request', UNKNOWN_TOKEN);
      return false;
    }
    if (!peer.isOpen) return false;
    const peerId = owner.peerId;
    peer.peerId = peerId;
    this.resuming.add(peerId);
    try {
      // reserved before the move: frames forwarded here once it is done queue behind the welcome
      this.hub.beginResume(peer.room, peerId);
      // frames for it handed over before the slot was reserved reach its buffer before the resume takes it
      await this.handOver.settled(peer.room, peerId);
      const newToken = newResumeToken();
      const newTokenHash = hashResumeToken(newToken);
      let result;
      try {
        result = await this.metrics.timeRedis('resume', () => this.directory.resume(peer.room, tokenHash, newTokenHash, this.config.nodeId));
      } catch (error) {
        this.abandon(peer, tokenHash);
        return this.unavailable(refuse, error);
      }
      if (!result.ok) {
        this.abandon(peer, tokenHash);
        refuse(CLOSE_CODE.badRequest, 'bad-request', UNKNOWN_TOKEN);
        return false;
      }
      this.metrics.admission('admitted');
      peer.resumeKey = newTokenHash;
      if (!peer.isOpen) {
        // gone before its welcome, so it never saw the new token: its window starts again now
        this.hub.abortJoin(peer.room, peerId);
        this.departures.hold(peer.room, peerId, newTokenHash);
        return false;
      }
      const member = result.member;
      peer.member = member;
      const welcome: WelcomeMessage = {
        type: 'welcome',
        peerId,
        room: peer.room,
        peers: result.others.map((other) => (other.name === undefined ? { peerId: other.peerId } : { peerId: other.peerId, name: other.name })),
        iceServers: buildIceServers(this.config.ice, peerId, Date.now()),
        resumeToken: newToken,
      };
      this.hub.completeResume(member, peer.room, result.others, peer, JSON.stringify(welcome), result.frames, result.previousNode);
      this.metrics.message('welcome', 'out');
      for (const frame of result.frames) this.metrics.message(frameType(frame), 'out');
      this.metrics.roomsActive.set(this.hub.roomCount);
      this.events.record({
        kind: 'peer-resumed',
        t: Date.now(),
        room: peer.room,
        node: this.config.nodeId,
        peer: peerId,
        previousNode: result.previousNode,
        remoteAddr: peer.remoteAddr,
      });
      this.logger.debug(`peer resumed from node ${result.previousNode} with ${result.frames.length} buffered frames`);
      return true;
    } finally {
      this.resuming.delete(peerId);
    }
  }

  /**
   * The move did not happen: the reserved slot goes, and the seat (still the old
   * token's, unless another resume took it) gets its window, since a socket of the
   * peer on this node may have been superseded already.
   */
  private abandon(peer: ConnectedPeer, tokenHash: string): void {
    this.hub.abortJoin(peer.room, peer.peerId);
    this.departures.hold(peer.room, peer.peerId, tokenHash);
  }

  private unavailable(refuse: RefuseAdmission, error: unknown): false {
    this.logger.warn(`resume failed, Redis unavailable: ${String(error)}`);
    refuse(CLOSE_CODE.tryAgainLater, 'unavailable', 'try again later');
    return false;
  }
}

/** The `type` of a buffered frame, for the message counter; buffered frames are the gateway's own JSON. */
function frameType(frame: string): string {
  try {
    const type = (JSON.parse(frame) as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'unknown';
  } catch {
    return 'unknown';
  }
}
