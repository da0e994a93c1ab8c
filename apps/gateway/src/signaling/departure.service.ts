import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { NegotiationClock, peerLeftReasonFor, ReapedMember, RoomDirectory, RoomHub, SessionEventSink } from '@sg/room';
import type { PeerId, PeerLeftReason, RoomId } from '@sg/schema';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import type { ConnectedPeer } from './connected-peer';

/** WebSocket close code for a connection lost without a close frame. */
const ABNORMAL_CLOSURE = 1006;
const LEAVE_RETRY_MAX_MS = 5_000;

/**
 * Peers leaving rooms: decides the `peer-left` reason from how the socket
 * ended, holds lost peers for the resume window, and retries the directory
 * until the departure is recorded: a member left behind would block capacity.
 */
@Injectable()
export class DepartureService implements OnApplicationShutdown {
  private readonly logger = new Logger(DepartureService.name);
  private readonly resumeTimers = new Map<PeerId, NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly directory: RoomDirectory,
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
      void this.leave(peer.room, peer.peerId, reason);
      return;
    }
    // lost without a close frame: it stays a member for the resume window (PROTOCOL section 1)
    this.hub.detach(peer.room, peer.peerId);
    const timer = setTimeout(() => void this.leave(peer.room, peer.peerId, 'timeout'), this.config.timing.resumeWindowMs);
    this.resumeTimers.set(peer.peerId, timer);
  }

  /** Removes a local peer from its room and tells the others why. */
  async leave(room: RoomId, peerId: PeerId, reason: PeerLeftReason): Promise<void> {
    clearTimeout(this.resumeTimers.get(peerId));
    this.resumeTimers.delete(peerId);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.metrics.timeRedis('leave', () => this.directory.leave(room, peerId, this.config.nodeId));
        if (result.removed) this.announce(room, peerId, reason, result.remaining);
        else this.hub.abortJoin(room, peerId);
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

  /** Tells the survivors of a dead node's rooms that its peers are gone. */
  announceReaped(reaped: readonly ReapedMember[]): void {
    for (const { room, peerId, remaining } of reaped) this.announce(room, peerId, 'node-lost', remaining);
    this.metrics.roomsActive.set(this.hub.roomCount);
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
