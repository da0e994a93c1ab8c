import type { NodeId } from '@sg/schema';
import type { NodeStatus } from '@sg/room';
import type Redis from 'ioredis';
import { connectTestRedis } from '../testing/connect-test-redis';
import { REDIS_KEYS } from '../redis-keys';
import { RedisNodeRegistry } from './redis-node-registry';

function status(node: string): NodeStatus {
  return { node_id: node as NodeId, connections: 3, rooms: 2, started_at: 1, last_seen: 2, draining: false };
}

describe(RedisNodeRegistry.name, () => {
  let redis: Redis;
  let registry: RedisNodeRegistry;

  beforeAll(async () => {
    redis = await connectTestRedis(2);
    registry = new RedisNodeRegistry(redis);
  });

  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  it('lists heartbeating nodes and finds those whose TTL ran out', async () => {
    expect(await registry.heartbeat(status('a'), 5_000, true)).toBe('alive');
    expect(await registry.heartbeat(status('b'), 50, true)).toBe('alive');
    expect(await registry.liveNodes()).toEqual([status('a'), status('b')]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await registry.deadNodes()).toEqual(['b']);
    expect(await registry.liveNodes()).toEqual([status('a')]);
  });

  it('tells a node that was reaped while it paused, instead of quietly re-registering it', async () => {
    await registry.heartbeat(status('a'), 5_000, true);
    // what the dead-node hold does to a node that paused past its TTL
    await redis.del(REDIS_KEYS.nodeRegistered('a'));
    await redis.hdel(REDIS_KEYS.nodes, 'a');
    expect(await registry.heartbeat(status('a'), 5_000, false)).toBe('reaped');
    expect(await registry.liveNodes()).toEqual([]);
    expect(await registry.heartbeat(status('a'), 5_000, true)).toBe('alive');
  });

  it('tells a node whose Redis lost its keys (restarted empty) that it was reaped', async () => {
    await registry.heartbeat(status('a'), 5_000, true);
    await redis.flushdb();
    expect(await registry.heartbeat(status('a'), 5_000, false)).toBe('reaped');
  });
});
