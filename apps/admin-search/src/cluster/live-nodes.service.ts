import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { RedisNodeRegistry, RedisRoomDirectory } from '@sg/cluster';
import { METRIC } from '@sg/metrics';
import type { NodeStatus } from '@sg/room';
import type { Gauge } from 'prom-client';
import { NodeLifecycleView } from '../operator/node-lifecycle.view';

/** How often the drift gauge is refreshed when nobody asks for `/api/nodes`. */
const DRIFT_REFRESH_MS = 15_000;

/**
 * `GET /api/nodes`: the live nodes, with each node's room count taken from the room
 * directory, the same state `GET /api/rooms` shows, so the two always agree. What a node
 * reports of itself in its heartbeat is compared with it: a difference that lasts
 * (`admin_node_rooms_drift`, alert NodeRoomCountDrift) means a node's own view leaks.
 */
@Injectable()
export class LiveNodesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveNodesService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly directory: RedisRoomDirectory,
    private readonly registry: RedisNodeRegistry,
    private readonly lifecycle: NodeLifecycleView,
    @InjectMetric(METRIC.adminNodeRoomsDrift) private readonly drift: Gauge<'node'>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.liveNodes().catch((error: unknown) => this.logger.warn(`could not refresh node room counts: ${String(error)}`));
    }, DRIFT_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async liveNodes(): Promise<NodeStatus[]> {
    const [nodes, rooms] = await Promise.all([this.registry.liveNodes(), this.directory.listRooms()]);
    const roomsOf = new Map<string, number>();
    for (const { members } of rooms) {
      for (const node of new Set(members.map((member) => member.node))) roomsOf.set(node, (roomsOf.get(node) ?? 0) + 1);
    }
    this.drift.reset();
    return this.lifecycle.apply(nodes).map((node) => {
      const inDirectory = roomsOf.get(node.node_id) ?? 0;
      this.drift.set({ node: node.node_id }, node.rooms - inDirectory);
      return { ...node, rooms: inDirectory };
    });
  }
}
