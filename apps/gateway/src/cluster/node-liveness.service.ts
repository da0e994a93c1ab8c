import { Injectable, Logger, BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { NodeRegistry, NodeStatus, PeerBus, RoomDirectory, RoomHub, SessionEventSink } from '@sg/room';
import { GatewayConfig } from '../config/gateway-config';
import { SignalingMetrics } from '../metrics/signaling-metrics';
import { CLOSE_CODE } from '../signaling/close-codes';
import { DepartureService } from '../signaling/departure.service';
import { SignalingServer } from '../signaling/signaling.server';

/**
 * This node's place in the cluster: subscribes to its bus address, heartbeats
 * with a TTL, and reaps the members of nodes whose TTL ran out, so no ghost
 * member of a dead node ever blocks a room's capacity.
 */
@Injectable()
export class NodeLivenessService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NodeLivenessService.name);
  private readonly startedAt = Date.now() / 1000;
  private timer: NodeJS.Timeout | null = null;
  private registered = false;
  private ticking = false;

  constructor(
    private readonly config: GatewayConfig,
    private readonly hub: RoomHub,
    private readonly bus: PeerBus,
    private readonly registry: NodeRegistry,
    private readonly directory: RoomDirectory,
    private readonly events: SessionEventSink,
    private readonly departures: DepartureService,
    private readonly server: SignalingServer,
    private readonly metrics: SignalingMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // subscribed before the first admission, so no announcement to this node is missed
    await this.bus.subscribe(this.config.nodeId, (message) => {
      this.metrics.fanout.observe(Math.max(0, Date.now() - message.sentAt) / 1000);
      this.hub.receive(message);
    });
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.timing.nodeHeartbeatIntervalMs);
  }

  /** Runs before Redis connections close: sockets, then membership, then buffered events. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.server.closeAll(CLOSE_CODE.goingAway, 'node shutting down');
    // until drain and resume land, a stopping node leaves like a lost one, at once
    try {
      await this.registry.deregister(this.config.nodeId);
      this.departures.announceReaped(await this.directory.reapNode(this.config.nodeId));
    } catch (error) {
      this.logger.warn(`could not leave the cluster cleanly; survivors will reap this node: ${String(error)}`);
    }
    await this.events.close();
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.beat();
      await this.reapDeadNodes();
    } catch (error) {
      this.logger.warn(`node heartbeat failed: ${String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async beat(): Promise<void> {
    const status: NodeStatus = {
      node_id: this.config.nodeId,
      connections: this.server.connectionCount,
      rooms: this.hub.roomCount,
      started_at: this.startedAt,
      last_seen: Date.now() / 1000,
      draining: false,
    };
    const result = await this.metrics.timeRedis('heartbeat', () =>
      this.registry.heartbeat(status, this.config.timing.nodeTtlMs, !this.registered),
    );
    this.registered = true;
    if (result === 'reaped') {
      // the cluster declared this node dead and told its peers: they must reconnect
      this.logger.error('this node was declared dead by the cluster (missed heartbeats); closing its peers');
      for (const { room, peerId } of this.hub.localPeers()) this.hub.abortJoin(room, peerId);
      this.server.closeAll(CLOSE_CODE.tryAgainLater, 'node was declared dead');
      this.registered = false;
    }
  }

  private async reapDeadNodes(): Promise<void> {
    const dead = await this.registry.deadNodes();
    for (const node of dead) {
      if (node === this.config.nodeId) continue;
      const reaped = await this.metrics.timeRedis('reap', () => this.directory.reapNode(node));
      this.metrics.nodesReaped.inc();
      this.logger.warn(`node ${node} stopped heartbeating; removed ${reaped.length} of its peers`);
      this.departures.announceReaped(reaped);
    }
  }
}
