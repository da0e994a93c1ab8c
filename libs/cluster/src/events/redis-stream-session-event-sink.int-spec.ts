import type { NodeId, PeerId, RoomId, SessionEvent } from '@sg/schema';
import Redis from 'ioredis';
import { REDIS_KEYS } from '../redis-keys';
import { connectTestRedis } from '../testing/connect-test-redis';
import { RedisStreamSessionEventSink, SessionEventSinkObserver } from './redis-stream-session-event-sink';
import { SESSION_EVENT_SHARDS, sessionEventShardOf } from './session-event-shards';

function event(i: number, room = 'r'): SessionEvent {
  return { kind: 'peer-left', t: i, room: room as RoomId, node: 'n' as NodeId, peer: `p${i}` as PeerId, reason: 'bye' };
}

function recorder(): SessionEventSinkObserver & { writtenTotal: number; failures: number; droppedTotal: number } {
  return {
    writtenTotal: 0,
    failures: 0,
    droppedTotal: 0,
    written(events) {
      this.writtenTotal += events;
    },
    failed() {
      this.failures += 1;
    },
    dropped(events) {
      this.droppedTotal += events;
    },
    pending: () => undefined,
  };
}

/** A connection that is down until the test calls connect(): commands fail at once meanwhile. */
async function disconnectedRedis(): Promise<Redis> {
  const flaky = new Redis(`${process.env['TEST_REDIS_URL']}/4`, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
  await new Promise((resolve) => flaky.once('ready', resolve));
  const ended = new Promise((resolve) => flaky.once('end', resolve));
  flaky.disconnect();
  await ended;
  return flaky;
}

async function readAll(redis: Redis, room = 'r'): Promise<SessionEvent[]> {
  const entries = await redis.xrange(REDIS_KEYS.sessionEvents(sessionEventShardOf(room)), '-', '+');
  return entries.flatMap(([, fields]) => JSON.parse(fields[1]) as SessionEvent[]);
}

describe(RedisStreamSessionEventSink.name, () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = await connectTestRedis(4);
  });

  beforeEach(() => redis.flushdb());
  afterAll(() => redis.quit());

  it('writes events in order, batched into few stream entries', async () => {
    const observer = recorder();
    const sink = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, observer);
    for (let i = 0; i < 250; i++) sink.record(event(i));
    await sink.close();
    expect(await readAll(redis)).toEqual(Array.from({ length: 250 }, (_, i) => event(i)));
    expect(await redis.xlen(REDIS_KEYS.sessionEvents(sessionEventShardOf('r')))).toBeLessThanOrEqual(4);
    expect(observer.writtenTotal).toBe(250);
  });

  it("writes each room's events, in order, to its shard's stream", async () => {
    const rooms = Array.from({ length: 40 }, (_, i) => `room-${i}`);
    const sink = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, recorder());
    for (let i = 0; i < 400; i++) sink.record(event(i, rooms[i % rooms.length]));
    await sink.close();
    for (const room of rooms) {
      const ofRoom = (await readAll(redis, room)).filter((e) => e.room === room);
      expect(ofRoom.map((e) => e.t)).toEqual(Array.from({ length: 10 }, (_, k) => rooms.indexOf(room) + k * rooms.length));
    }
    const used = new Set(rooms.map(sessionEventShardOf));
    expect(used.size).toBeGreaterThan(SESSION_EVENT_SHARDS / 2);
  });

  it("writes every shard's entry in one script call on one Redis, as Redis itself sees it", async () => {
    const rooms = Array.from({ length: 40 }, (_, i) => `room-${i}`);
    const shards = new Set(rooms.map(sessionEventShardOf));
    // a first write loads the script should this Redis not have it yet (see the next test)
    const warm = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 60_000, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, recorder());
    warm.record(event(0, 'warm-up'));
    await warm.close();
    const monitor = await redis.monitor();
    const commands: string[] = [];
    // this spec's connection uses db 4; other workers' commands are on other dbs
    monitor.on('monitor', (_time: string, args: string[], _source: string, database: string) => {
      if (database === '4') commands.push(args[0].toLowerCase());
    });
    const sink = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 60_000, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, recorder());
    for (let i = 0; i < 80; i++) sink.record(event(i, rooms[i % rooms.length]));
    await sink.flush();
    // MONITOR reports a command before running it: a PING after the write comes back after it
    await redis.ping();
    await new Promise((resolve) => setTimeout(resolve, 50));
    monitor.disconnect();
    const scriptCalls = commands.filter((command) => command === 'evalsha' || command === 'eval');
    expect(scriptCalls).toHaveLength(1);
    // the script's XADDs, one per shard with events, and none outside it
    expect(commands.filter((command) => command === 'xadd')).toHaveLength(shards.size);
    expect(sink.pendingEvents).toBe(0);
    for (const room of rooms) expect((await readAll(redis, room)).filter((e) => e.room === room)).toHaveLength(2);
  });

  it('writes through a Redis that lost its scripts (restarted), loading the script again', async () => {
    const observer = recorder();
    const sink = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 60_000, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, observer);
    sink.record(event(0));
    await sink.flush();
    await redis.script('FLUSH');
    sink.record(event(1));
    sink.record(event(2));
    await sink.flush();
    await redis.script('FLUSH');
    sink.record(event(3));
    await sink.close();
    expect(await readAll(redis)).toEqual([0, 1, 2, 3].map((i) => event(i)));
    expect({ written: observer.writtenTotal, failures: observer.failures, pending: sink.pendingEvents }).toEqual({ written: 4, failures: 0, pending: 0 });
  });

  it('keeps events while Redis is unreachable and writes them once it is back', async () => {
    const flaky = await disconnectedRedis();
    const observer = recorder();
    const sink = new RedisStreamSessionEventSink(flaky, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 1_000 }, observer);
    for (let i = 0; i < 10; i++) sink.record(event(i));
    await sink.flush();
    expect(observer.failures).toBeGreaterThan(0);
    expect(await readAll(redis)).toEqual([]);
    await flaky.connect();
    await sink.close();
    expect(await readAll(redis)).toEqual(Array.from({ length: 10 }, (_, i) => event(i)));
    expect(observer.droppedTotal).toBe(0);
    await flaky.quit();
  });

  it('backs off while writes fail instead of retrying on every recorded event', async () => {
    const flaky = await disconnectedRedis();
    const observer = recorder();
    const sink = new RedisStreamSessionEventSink(flaky, { flushIntervalMs: 5, maxBatch: 10, maxBuffered: 10_000, streamMaxLen: 1_000 }, observer);
    // live traffic: one event per event-loop turn, each past a full batch
    const started = Date.now();
    for (let i = 0; i < 300; i++) {
      sink.record(event(i));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const elapsed = Date.now() - started;
    // 5, 10, 20, 40 ... ms apart: a handful of attempts, not one per event
    expect(observer.failures).toBeGreaterThan(0);
    expect(observer.failures).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(elapsed / 5 + 1)));
    await flaky.connect();
    // one batch per shard per write: write until nothing is left, without waiting for the backoff
    while (sink.pendingEvents > 0) await sink.flush();
    expect(await readAll(redis)).toEqual(Array.from({ length: 300 }, (_, i) => event(i)));
    await flaky.quit();
  });

  it('numbers events per shard and names its writer in each entry, so a copy of an entry can be recognised', async () => {
    const flaky = await disconnectedRedis();
    const sink = new RedisStreamSessionEventSink(flaky, { flushIntervalMs: 1_000, maxBatch: 4, maxBuffered: 10_000, streamMaxLen: 1_000 }, recorder());
    for (let i = 0; i < 6; i++) sink.record(event(i));
    await sink.flush(); // fails: retried below with the same numbers
    await flaky.connect();
    await sink.close();
    const other = new RedisStreamSessionEventSink(redis, { flushIntervalMs: 1_000, maxBatch: 4, maxBuffered: 10_000, streamMaxLen: 1_000 }, recorder());
    other.record(event(6));
    await other.close();
    const entries = await redis.xrange(REDIS_KEYS.sessionEvents(sessionEventShardOf('r')), '-', '+');
    const described = entries.map(([, fields]) => ({ writer: fields[fields.indexOf('w') + 1], seqs: fields[fields.indexOf('s') + 1], events: (JSON.parse(fields[fields.indexOf('b') + 1]) as SessionEvent[]).length }));
    expect(described.map(({ seqs, events }) => [seqs, events])).toEqual([['1,2,3,4', 4], ['5,6', 2], ['1', 1]]);
    expect(described[0].writer).toBe(described[1].writer);
    expect(described[2].writer).not.toBe(described[0].writer);
    expect(described[0].writer).toMatch(/^[A-Za-z0-9_-]{12}$/);
    await flaky.quit();
  });

  it('drops the oldest events beyond its bound and counts them', async () => {
    const flaky = await disconnectedRedis();
    const observer = recorder();
    const sink = new RedisStreamSessionEventSink(flaky, { flushIntervalMs: 1_000, maxBatch: 10, maxBuffered: 20, streamMaxLen: 1_000 }, observer);
    for (let i = 0; i < 25; i++) sink.record(event(i));
    expect(observer.droppedTotal).toBe(5);
    await flaky.connect();
    await sink.close();
    const written = await readAll(redis);
    expect(written).toHaveLength(20);
    expect(written[written.length - 1]).toEqual(event(24));
    await flaky.quit();
  });
});
