import { ClusterRateLimiter, ConnectionAttemptLimiter, LimitedKey, RATE_LIMIT_WINDOW_MS, windowOf } from '@sg/room';
import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisRateLimitStore } from './redis-rate-limit-store';

const DB = 11;

/** A gateway node's view: its own connection, store and limiter, as in the app. */
interface Node {
  redis: Redis;
  store: RedisRateLimitStore;
  limiter: ClusterRateLimiter;
}

async function sync(node: Node, now: number): Promise<void> {
  const batch = node.limiter.drain(now);
  node.limiter.reconcile(batch, await node.store.add(batch));
}

function takeMany(node: Node, keys: readonly LimitedKey[], count: number, now: number): number {
  let admitted = 0;
  for (let i = 0; i < count; i++) if (node.limiter.tryTake(keys, now) === -1) admitted++;
  return admitted;
}

describe(RedisRateLimitStore.name, () => {
  let redis: Redis;
  const nodes: Node[] = [];
  // the middle of a window, so a test does not straddle a boundary
  const now = (windowOf(Date.now()) + 0.5) * RATE_LIMIT_WINDOW_MS;

  beforeAll(async () => {
    redis = await connectTestRedis(DB);
    for (let i = 0; i < 2; i++) {
      const connection = await connectTestRedis(DB);
      nodes.push({ redis: connection, store: new RedisRateLimitStore(connection), limiter: new ClusterRateLimiter() });
    }
  });

  beforeEach(async () => {
    await redis.flushdb();
    for (const node of nodes) node.limiter = new ClusterRateLimiter();
  });

  afterAll(async () => {
    await Promise.all([redis, ...nodes.map((node) => node.redis)].map((connection) => connection.quit()));
  });

  it('adds deltas and returns the window and previous window counts', async () => {
    const [store] = nodes.map((node) => node.store);
    const window = windowOf(now);
    await store.add([{ key: 'ip:a', window: window - 1, delta: 4 }]);

    expect(await store.add([{ key: 'ip:a', window, delta: 3 }, { key: 'ip:b', window, delta: 0 }])).toEqual([
      { current: 3, previous: 4 },
      { current: 0, previous: 0 },
    ]);
    expect(await redis.get(REDIS_KEYS.rateLimit('ip:a', window))).toBe('3');
  });

  it('lets a counter outlive the next window and no longer', async () => {
    const window = windowOf(now);
    await nodes[0].store.add([{ key: 'room:r', window, delta: 1 }]);
    const ttl = await redis.pttl(REDIS_KEYS.rateLimit('room:r', window));

    expect(ttl).toBeGreaterThan(2 * RATE_LIMIT_WINDOW_MS - 1_000);
    expect(ttl).toBeLessThanOrEqual(2 * RATE_LIMIT_WINDOW_MS + 1_000);
  });

  it('counts exactly under concurrent adds from two connections', async () => {
    const window = windowOf(now);
    await Promise.all(Array.from({ length: 200 }, (_, i) => nodes[i % 2].store.add([{ key: 'conn:x', window, delta: 1 }])));

    expect(await redis.get(REDIS_KEYS.rateLimit('conn:x', window))).toBe('200');
  });

  it('splits a large batch over several calls and keeps the order of answers', async () => {
    const window = windowOf(now);
    const batch = Array.from({ length: 1_234 }, (_, i) => ({ key: `ip:${i}`, window, delta: i + 1 }));
    const counts = await nodes[0].store.add(batch);

    expect(counts).toHaveLength(1_234);
    expect(counts[0]).toEqual({ current: 1, previous: 0 });
    expect(counts[1_233]).toEqual({ current: 1_234, previous: 0 });
  });

  it('holds one message limit across two nodes that sync through Redis', async () => {
    const [a, b] = nodes;
    const room: LimitedKey = { key: 'room:shared', limit: 20 };
    expect(takeMany(a, [room], 15, now)).toBe(15);
    await sync(a, now + 100);
    // b joins the traffic: its first events are decided blind, then it learns a's
    expect(takeMany(b, [room], 1, now + 150)).toBe(1);
    await sync(b, now + 200);

    expect(takeMany(b, [room], 10, now + 250)).toBe(4);
    await sync(b, now + 300);
    // a adds nothing, but the key is past half its limit: a re-reads it and learns b's events
    await sync(a, now + 300);
    expect(takeMany(a, [room], 5, now + 350)).toBe(0);
    expect(await redis.get(REDIS_KEYS.rateLimit(room.key, windowOf(now)))).toBe('20');
  });

  it('counts connection attempts of one address across two nodes exactly', async () => {
    const clock = () => now;
    const [a, b] = nodes.map((node) => new ConnectionAttemptLimiter(node.store, 5, clock));
    const results: boolean[] = [];
    for (let i = 0; i < 8; i++) results.push((await (i % 2 === 0 ? a : b).attempt('198.51.100.7')).allowed);

    expect(results).toEqual([true, true, true, true, true, false, false, false]);
  });
});
