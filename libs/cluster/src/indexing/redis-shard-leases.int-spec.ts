import type Redis from 'ioredis';
import { SESSION_EVENT_SHARDS } from '../events/session-event-shards';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisShardLeases } from './redis-shard-leases';

describe(RedisShardLeases.name, () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(5);
  });
  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  it('a lone instance takes every shard', async () => {
    const leases = new RedisShardLeases(redis, 'ix-a', { ttlMs: 5_000 });
    const { acquired } = await leases.sync();
    expect(acquired.sort((a, b) => a - b)).toEqual(Array.from({ length: SESSION_EVENT_SHARDS }, (_, i) => i));
    expect(await redis.get(REDIS_KEYS.indexerShardLease(3))).toBe('ix-a');
  });

  it('two instances end up with half each, and no shard has two holders', async () => {
    const a = new RedisShardLeases(redis, 'ix-a', { ttlMs: 5_000 });
    const b = new RedisShardLeases(redis, 'ix-b', { ttlMs: 5_000 });
    await a.sync();
    await b.sync(); // b registers; nothing free yet
    expect(b.shards()).toEqual([]);
    await a.sync(); // a sees two instances and gives half back
    await b.sync();
    expect(a.shards()).toHaveLength(SESSION_EVENT_SHARDS / 2);
    expect(b.shards()).toHaveLength(SESSION_EVENT_SHARDS / 2);
    expect(a.shards().filter((shard) => b.shards().includes(shard))).toEqual([]);
  });

  it("a dead instance's shards move to a survivor once its leases expire", async () => {
    const a = new RedisShardLeases(redis, 'ix-a', { ttlMs: 300 });
    const b = new RedisShardLeases(redis, 'ix-b', { ttlMs: 300 });
    await a.sync();
    await b.sync();
    await a.sync();
    await b.sync();
    const ofA = a.shards();
    expect(ofA.length).toBeGreaterThan(0);
    // a stops renewing (crashed); b keeps going
    await new Promise((resolve) => setTimeout(resolve, 200));
    await b.sync();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { acquired } = await b.sync();
    expect(acquired.sort((x, y) => x - y)).toEqual(ofA);
    expect(b.shards()).toHaveLength(SESSION_EVENT_SHARDS);
    // a, back from its pause, learns it lost them rather than reading them too
    const changes = await a.sync();
    expect(changes.lost.sort((x, y) => x - y)).toEqual(ofA);
  });

  it('releaseAll hands shards over at once', async () => {
    const a = new RedisShardLeases(redis, 'ix-a', { ttlMs: 60_000 });
    const b = new RedisShardLeases(redis, 'ix-b', { ttlMs: 60_000 });
    await a.sync();
    await b.sync();
    await a.releaseAll();
    await b.sync();
    expect(b.shards()).toHaveLength(SESSION_EVENT_SHARDS);
  });
});
