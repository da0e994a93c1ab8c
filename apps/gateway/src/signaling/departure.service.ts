import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EndedHold, NegotiationClock, peerLeftReasonFor, ResumeDirectory, RoomDirectory, RoomHub, SessionEventSink } from '@sg/room';
import type { PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import type { ConnectedPeer } from './connected-peer';

/** WebSocket close code for a connection lost without a close frame. */
const ABNORMAL_CLOSURE = 1006;
const LEAVE_RETRY_MAX_MS = 5_000;
/** Ended holds taken per call; the next tick takes the rest. */
const ENDED_HOLDS_PER_CALL = 500;
/** After the window, so Redis's clock has passed the deadline too. */
const WINDOW_END_SLACK_MS = 50;

/**
 * Peers leaving rooms: decides the `peer-left` reason from how the socket
 * ended, holds lost peers for the resume window (in Redis, so any node can end
 * the hold if this one goes), and retries the directory until the departure is
 * recorded: a member left behind would block capacity.
 */
@Injectable()
export class DepartureService implements OnApplicationShutdown {
  private readonly logger = new Logger(DepartureService.name);
  private readonly resumeTimers = new Map<PeerId, NodeJS.Timeout>();
  /** Holds being written, so a drain can wait for them before the node leaves. */
  private readonly pendingHolds = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: RoomDirectory,
    private readonly resumes: ResumeDirectory,
    private readonly events: SessionEventSink,
    private readonly negotiations: NegotiationClock,
    private readonly metrics: SignalingMetrics,
  ) {}

  /** The socket of an admitted peer closed. */
  socketClosed(peer: ConnectedPeer, code: number): void {
    const reason = peerLeftReasonFor({
      byeReceived: peer.byeReceived,
      closeFrameReceived: code !== ABNORMAL_CLOSURE,
      endedByServer: peer.endedByServer,
    });
    if (reason !== null) {
      void this.leave(peer.room, peer.peerId, reason, peer.resumeKey ?? undefined);
      return;
    }
    // lost without a close frame: it stays a member for the resume window (PROTOCOL section 1)
    this.hub.detach(peer.room, peer.peerId);
    this.hold(peer.room, peer.peerId, peer.resumeKey);
  }

  /**
   * Starts the resume window of a peer of this node that has no socket. The hold is
   * in Redis, so whichever node sweeps first ends it with `timeout` after the window,
   * even if this node is gone by then; this node sweeps when the window ends.
   */
  hold(room: RoomId, peerId: PeerId, resumeKey: string | null): void {
    const windowMs = this.config.timing.resumeWindowMs;
    const pending = this.metrics
      .timeRedis('hold', () => this.resumes.hold(room, peerId, resumeKey, 'timeout', windowMs))
      .then(
        () => this.sweepAfter(room, peerId, windowMs + WINDOW_END_SLACK_MS),
        (error: unknown) => {
          // without the hold in Redis nobody else will end it: this node leaves for it after the window
          this.logger.warn(`could not hold a lost peer, it leaves after the window: ${String(error)}`);
          clearTimeout(this.resumeTimers.get(peerId));
          const timer = setTimeout(() => void this.leave(room, peerId, 'timeout', resumeKey ?? undefined), windowMs);
          this.resumeTimers.set(peerId, timer);
        },
      )
      .finally(() => this.pendingHolds.delete(pending));
    this.pendingHolds.add(pending);
  }

  /** Resolves once every hold started so far is written (or failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.pendingHolds]);
  }

  /** Ends the holds whose window is over, on any node, and tells the rooms: `timeout` or `node-lost`. */
  async endExpiredHolds(): Promise<void> {
    let ended: EndedHold[];
    do {
      ended = await this.metrics.timeRedis('end-holds', () => this.resumes.endExpiredHolds(ENDED_HOLDS_PER_CALL));
      for (const { room, peerId, reason, remaining } of ended) {
        this.announce(room, peerId, reason, remaining);
        this.negotiations.forgetPeer(room, peerId);
      }
      if (ended.length > 0) this.metrics.roomsActive.set(this.hub.roomCount);
    } while (ended.length === ENDED_HOLDS_PER_CALL && !this.stopping);
  }

  /**
   * Removes a local peer from its room and tells the others why. With `resumeKey`,
   * only if that connection still holds the seat: a peer that resumed meanwhile stays.
   */
  async leave(room: RoomId, peerId: PeerId, reason: PeerLeftReason, resumeKey?: string): Promise<void> {
    clearTimeout(this.resumeTimers.get(peerId));
    this.resumeTimers.delete(peerId);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.metrics.timeRedis('leave', () => this.directory.leave(room, peerId, this.config.nodeId, resumeKey));
        if (result.removed) this.announce(room, peerId, reason, result.remaining);
        // superseded: the slot here, if any, is the resumed connection's
        else if (!result.superseded) this.hub.abortJoin(room, peerId);
        break;
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn(`leave of a peer failed (attempt ${attempt + 1}), retrying: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, LEAVE_RETRY_MAX_MS)));
      }
    }
    this.negotiations.forgetPeer(room, peerId);
    this.metrics.roomsActive.set(this.hub.roomCount);
  }

  private sweepAfter(room: RoomId, peerId: PeerId, delayMs: number): void {
    if (this.stopping) return;
    clearTimeout(this.resumeTimers.get(peerId));
    const timer = setTimeout(() => {
      this.resumeTimers.delete(peerId);
      this.endExpiredHolds()
        .then(() => this.forgetIfGone(room, peerId))
        .catch((error: unknown) => this.logger.warn(`could not end expired holds, the next tick retries: ${String(error)}`));
    }, delayMs);
    this.resumeTimers.set(peerId, timer);
  }

  /**
   * A held peer whose window ended while another node swept first (only the first sweeper
   * gets each hold back), or that resumed elsewhere: its seat here is gone, so its local
   * slot goes too, or this node would count its room for ever (`GET /api/nodes`).
   */
  async forgetIfGone(room: RoomId, peerId: PeerId): Promise<void> {
    if (!this.hub.isDetached(room, peerId)) return;
    const member = await this.directory.member(room, peerId);
    if (member && member.node === this.config.nodeId) return;
    if (this.hub.forgetDetached(room, peerId)) this.metrics.roomsActive.set(this.hub.roomCount);
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
  }

  private announce(room: RoomId, peerId: PeerId, reason: PeerLeftReason, remaining: Parameters<RoomHub['announceLeave']>[3]): void {
    this.hub.announceLeave(room, peerId, reason, remaining);
    this.metrics.peerLeft(reason);
    this.events.record({ kind: 'peer-left', t: Date.now(), room, node: this.config.nodeId, peer: peerId, reason });
  }
}
