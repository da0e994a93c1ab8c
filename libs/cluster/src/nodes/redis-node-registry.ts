import type { NodeId } from '@sg/schema';
import { NodeRegistry, NodeStatus } from '@sg/room';
import { ClusterRedis, defineClusterCommands } from '../lua/define-cluster-commands';
import type { RedisConnection } from '../redis-connection';
import { REDIS_KEYS } from '../redis-keys';

/**
 * Node liveness as a TTL key and a registration key per node (on the node's slot), plus a
 * status hash of every registered node for listing (`sg:nodes`, its own slot).
 */
export class RedisNodeRegistry extends NodeRegistry {
  private readonly redis: ClusterRedis;

  constructor(redis: RedisConnection) {
    super();
    this.redis = defineClusterCommands(redis);
  }

  async heartbeat(status: NodeStatus, ttlMs: number, firstBeat: boolean): Promise<'alive' | 'reaped'> {
    const reply = await this.redis.sgNodeHeartbeat(
      REDIS_KEYS.nodeAlive(status.node_id),
      REDIS_KEYS.nodeRegistered(status.node_id),
      REDIS_KEYS.nodeSuspect(status.node_id),
      String(ttlMs),
      firstBeat ? '1' : '0',
    );
    if (reply !== 1) return 'reaped';
    await this.redis.hset(REDIS_KEYS.nodes, status.node_id, JSON.stringify(status));
    return 'alive';
  }

  /** Registered nodes whose TTL ran out (each is checked again, atomically, before it is taken out). */
  async deadNodes(): Promise<NodeId[]> {
    const nodes = await this.redis.hkeys(REDIS_KEYS.nodes);
    const alive = await Promise.all(nodes.map((node) => this.redis.exists(REDIS_KEYS.nodeAlive(node))));
    return nodes.filter((_, i) => alive[i] === 0) as NodeId[];
  }

  /** Whether the node is in the registry, alive or not yet reaped. */
  async isRegistered(node: NodeId): Promise<boolean> {
    return (await this.redis.hexists(REDIS_KEYS.nodes, node)) === 1;
  }

  async liveNodes(): Promise<NodeStatus[]> {
    const all = await this.redis.hgetall(REDIS_KEYS.nodes);
    const ids = Object.keys(all).sort();
    const alive = await Promise.all(ids.map((id) => this.redis.exists(REDIS_KEYS.nodeAlive(id))));
    return ids.filter((_, i) => alive[i] === 1).map((id) => JSON.parse(all[id]) as NodeStatus);
  }
}
