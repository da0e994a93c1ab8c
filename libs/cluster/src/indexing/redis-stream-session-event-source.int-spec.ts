import type Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisShardLeases } from './redis-shard-leases';
import { RedisStreamSessionEventSource } from './redis-stream-session-event-source';

function source(redis: Redis, consumer: string, ttlMs = 5_000) {
  return new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, consumer, { ttlMs }), { consumer, leaseRenewMs: Math.floor(ttlMs / 3), deadLetterMaxLen: 1_000 });
}

describe(RedisStreamSessionEventSource.name, () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(6);
  });
  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  it('reads entries written before it started, and acknowledged ones are gone', async () => {
    await redis.xadd(REDIS_KEYS.sessionEvents(2), '*', 'b', '[1]');
    await redis.xadd(REDIS_KEYS.sessionEvents(7), '*', 'b', '[2]');
    const reader = source(redis, 'ix-a');
    const entries = await reader.read(100, 50);
    expect(entries.map((e) => [e.shard, e.payload]).sort()).toEqual([[2, '[1]'], [7, '[2]']]);
    await redis.xadd(REDIS_KEYS.sessionEvents(7), '*', 'b', '[3]');
    // read and unread alike, until acknowledged
    expect(await reader.backlogEntries()).toBe(3);
    expect(await reader.pendingEntries()).toBe(2);
    await reader.ack(entries);
    expect(await reader.backlogEntries()).toBe(1);
    expect((await reader.read(100, 50)).map((e) => e.payload)).toEqual(['[3]']);
    await reader.ack(await reader.read(100, 50));
    expect(await reader.backlogEntries()).toBe(0);
    expect(await reader.read(100, 50)).toEqual([]);
    expect(await redis.xlen(REDIS_KEYS.sessionEvents(2))).toBe(0);
    await reader.close();
  });

  it('delivers unacknowledged entries again, before new ones', async () => {
    const reader = source(redis, 'ix-a');
    await reader.read(100, 10); // creates the groups
    await redis.xadd(REDIS_KEYS.sessionEvents(1), '*', 'b', '["first"]');
    const first = await reader.read(100, 50);
    expect(first.map((e) => e.payload)).toEqual(['["first"]']);
    await redis.xadd(REDIS_KEYS.sessionEvents(1), '*', 'b', '["second"]');
    const again = await reader.read(100, 50);
    expect(again.map((e) => e.payload)).toEqual(['["first"]']);
    await reader.ack(again);
    expect((await reader.read(100, 50)).map((e) => e.payload)).toEqual(['["second"]']);
    await reader.close();
  });

  it("claims what a crashed instance read but did not acknowledge, once its lease expired", async () => {
    const crashed = source(redis, 'ix-crashed', 300);
    await crashed.read(100, 10);
    await redis.xadd(REDIS_KEYS.sessionEvents(4), '*', 'b', '["in flight"]');
    expect((await crashed.read(100, 50)).map((e) => e.payload)).toEqual(['["in flight"]']);
    // it dies here: no ack, no release
    await new Promise((resolve) => setTimeout(resolve, 400));
    const survivor = source(redis, 'ix-survivor', 300);
    const taken = await survivor.read(100, 50);
    expect(taken.map((e) => [e.shard, e.payload])).toEqual([[4, '["in flight"]']]);
    await survivor.ack(taken);
    const pending = (await redis.xpending(REDIS_KEYS.sessionEvents(4), REDIS_KEYS.sessionEventsGroup)) as [number];
    expect(pending[0]).toBe(0);
    await survivor.close();
    crashed['blocking']?.disconnect();
  });

  it('keeps dead letters with where they came from and why', async () => {
    const reader = source(redis, 'ix-a');
    await reader.deadLetter({ shard: 3, id: '1-0', payload: '[]' }, 2, { kind: 'nope' }, 'unknown event kind "nope"');
    const [[, fields]] = await redis.xrange(REDIS_KEYS.sessionEventsDeadLetter, '-', '+');
    expect(fields).toEqual(['stream', REDIS_KEYS.sessionEvents(3), 'id', '1-0', 'index', '2', 'error', 'unknown event kind "nope"', 'event', '{"kind":"nope"}']);
    await reader.close();
  });
});
