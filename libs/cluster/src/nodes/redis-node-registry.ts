import type { NodeId } from '@sg/schema';
import { NodeRegistry, NodeStatus } from '@sg/room';
import type Redis from 'ioredis';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import { REDIS_KEYS } from '../redis-keys';

/** Node liveness as a TTL key per node plus a status hash of every registered node. */
export class RedisNodeRegistry extends NodeRegistry {
  private readonly redis: ClusterRedis;

  constructor(redis: Redis) {
    super();
    this.redis = defineClusterCommands(redis);
  }

  async heartbeat(status: NodeStatus, ttlMs: number, firstBeat: boolean): Promise<'alive' | 'reaped'> {
    const reply = await this.redis.sgNodeHeartbeat(
      REDIS_KEYS.nodes,
      REDIS_KEYS.nodeAlive(status.node_id),
      status.node_id,
      JSON.stringify(status),
      String(ttlMs),
      firstBeat ? '1' : '0',
    );
    return reply === 1 ? 'alive' : 'reaped';
  }

  async deadNodes(): Promise<NodeId[]> {
    return (await this.redis.sgDeadNodes(REDIS_KEYS.nodes, REDIS_KEYS.nodeAlivePrefix)) as NodeId[];
  }

  /** Whether the node is in the registry, alive or not yet reaped. */
  async isRegistered(node: NodeId): Promise<boolean> {
    return (await this.redis.hexists(REDIS_KEYS.nodes, node)) === 1;
  }

  async liveNodes(): Promise<NodeStatus[]> {
    const all = await this.redis.hgetall(REDIS_KEYS.nodes);
    const ids = Object.keys(all).sort();
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(REDIS_KEYS.nodeAlive(id));
    const alive = (await pipeline.exec()) ?? [];
    return ids.filter((_, i) => alive[i]?.[1] === 1).map((id) => JSON.parse(all[id]) as NodeStatus);
  }
}
