import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DrainState } from '@sg/platform';
import { HeartbeatContinuity, NodeRegistry, NodeStatus, PeerBus, ResumeDirectory, RoomHub } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { CLOSE_CODE } from '../signaling/close-codes';
import { DepartureService } from '../signaling/departure.service';
import { SignalingGateway } from '../signaling/signaling.gateway';
import { SessionTracing } from '../tracing/session-tracing';

/**
 * This node's place in the cluster: subscribes to its bus address, heartbeats
 * with a TTL, holds the members of nodes whose TTL ran out for the resume window,
 * and ends expired holds, so no ghost member of a dead node ever blocks a room's
 * capacity for longer than the window. Shutdown is the drain's (drain/drain.service.ts).
 */
@Injectable()
export class NodeLivenessService implements OnApplicationBootstrap {
  private readonly logger = new Logger(NodeLivenessService.name);
  private readonly startedAt = Date.now() / 1000;
  private timer: NodeJS.Timeout | null = null;
  private registered = false;
  private ticking: Promise<void> | null = null;
  private continuity!: HeartbeatContinuity;

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly bus: PeerBus,
    private readonly registry: NodeRegistry,
    private readonly resumes: ResumeDirectory,
    private readonly departures: DepartureService,
    private readonly gateway: SignalingGateway,
    private readonly metrics: SignalingMetrics,
    private readonly drain: DrainState,
    private readonly tracing: SessionTracing,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.continuity = new HeartbeatContinuity({ heartbeatIntervalMs: this.config.timing.nodeHeartbeatIntervalMs, nodeTtlMs: this.config.timing.nodeTtlMs });
    // subscribed before the first admission, so no announcement to this node is missed
    await this.bus.subscribe(this.config.nodeId, (message) => {
      this.metrics.fanout.observe(Math.max(0, Date.now() - message.sentAt) / 1000);
      if (this.tracing.on) this.tracing.received(message);
      this.hub.receive(message);
    });
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.timing.nodeHeartbeatIntervalMs);
  }

  /** Stops heartbeating, e.g. once a draining node is about to leave the registry; waits for a beat in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = this.runTick();
    await this.ticking;
  }

  private async runTick(): Promise<void> {
    try {
      if (!(await this.beatOrMiss())) return;
      // after a gap (Redis restarted or away) the others get a TTL to beat again before they are judged
      if (this.continuity.mayJudgeOthers()) await this.reapDeadNodes();
      await this.departures.endExpiredHolds();
    } catch (error) {
      this.logger.warn(`node sweep failed: ${String(error)}`);
    } finally {
      this.ticking = null;
    }
  }

  private async beatOrMiss(): Promise<boolean> {
    try {
      await this.beat();
      return true;
    } catch (error) {
      this.continuity.missed();
      this.logger.warn(`node heartbeat failed: ${String(error)}`);
      return false;
    }
  }

  private async beat(): Promise<void> {
    const status: NodeStatus = {
      node_id: this.config.nodeId,
      connections: this.gateway.connectionCount,
      rooms: this.hub.roomCount,
      started_at: this.startedAt,
      last_seen: Date.now() / 1000,
      draining: this.drain.isDraining,
    };
    const result = await this.metrics.timeRedis('heartbeat', () =>
      this.registry.heartbeat(status, this.config.timing.nodeTtlMs, !this.registered),
    );
    this.registered = true;
    this.continuity.beat();
    if (result === 'reaped') {
      // the cluster declared this node dead and told its peers: they must reconnect
      this.logger.error('this node was declared dead by the cluster (missed heartbeats); closing its peers');
      for (const { room, peerId } of this.hub.localPeers()) this.hub.abortJoin(room, peerId);
      this.gateway.closeAll(CLOSE_CODE.tryAgainLater, 'node was declared dead');
      this.registered = false;
    }
  }

  private async reapDeadNodes(): Promise<void> {
    const dead = await this.registry.deadNodes();
    for (const node of dead) {
      if (node === this.config.nodeId) continue;
      // its peers keep their seats for the resume window (they may resume on any node), then leave with node-lost
      const held = await this.metrics.timeRedis('reap', () =>
        this.resumes.holdNode(node, 'node-lost', this.config.timing.resumeWindowMs, true),
      );
      if (held === null) continue;
      this.metrics.nodesReaped.inc();
      this.logger.warn(`node ${node} stopped heartbeating; its ${held} peers may resume elsewhere within the window`);
    }
  }
}
