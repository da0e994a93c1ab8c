import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { REDIS_KEYS, RedisPeerRecordStore, RedisSessionDeadlines, RedisShardLeases, RedisStreamSessionEventSink, RedisStreamSessionEventSource, sessionEventShardOf } from '@sg/cluster';
import type { NodeId, PeerId, RoomId, SessionDocument, SessionEvent, SessionId } from '@sg/schema';
import { SessionIndexer, sessionIdFor, SessionRules, SessionStore, StoredSession } from '@sg/session';
import { SqliteSessionStore } from '@sg/store';
import { counting, RunningIndexer } from './testing/running-indexer';

const RULES: SessionRules = { negotiationTimeoutMs: 400, iceTimeoutMs: 400 };
const directory = mkdtempSync(join(tmpdir(), 'indexing-'));
let files = 0;

/** What two gateway nodes write for one pair of peers, through the real sink. */
class Gateways {
  readonly sinks: RedisStreamSessionEventSink[];

  constructor(redis: Redis) {
    this.sinks = [1, 2].map(() => new RedisStreamSessionEventSink(redis, { flushIntervalMs: 5, maxBatch: 100, maxBuffered: 10_000, streamMaxLen: 10_000 }, { written: () => undefined, failed: () => undefined, dropped: () => undefined, pending: () => undefined }));
  }

  record(node: 1 | 2, event: SessionEvent): void {
    this.sinks[node - 1].record(event);
  }

  flush(): Promise<void[]> {
    return Promise.all(this.sinks.map((sink) => sink.close()));
  }
}

function call(gateways: Gateways, room: string, a: string, b: string, t: number, outcome: 'closed' | 'no-answer' | 'ice-timeout' | 'connected'): SessionId {
  const r = room as RoomId;
  const [pa, pb] = [a as PeerId, b as PeerId];
  const n1 = 'node-1' as NodeId;
  const n2 = 'node-2' as NodeId;
  gateways.record(1, { kind: 'peer-joined', t, room: r, node: n1, peer: pa, user: `user-${a}`, remoteAddr: '198.51.100.1:40001', userAgent: 'UA-A' });
  gateways.record(2, { kind: 'peer-joined', t: t + 1, room: r, node: n2, peer: pb, user: `user-${b}`, remoteAddr: '203.0.113.2:40002', userAgent: 'UA-B' });
  gateways.record(1, { kind: 'signal', t: t + 10, room: r, node: n1, signal: 'offer', from: pa, to: pb });
  gateways.record(1, { kind: 'signal', t: t + 11, room: r, node: n1, signal: 'candidate', from: pa, to: pb, candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host' });
  if (outcome !== 'no-answer') {
    gateways.record(2, { kind: 'signal', t: t + 20, room: r, node: n2, signal: 'answer', from: pb, to: pa });
    gateways.record(2, { kind: 'signal', t: t + 21, room: r, node: n2, signal: 'candidate', from: pb, to: pa, candidate: 'candidate:2 1 udp 41885439 192.0.2.9 3478 typ relay' });
  }
  if (outcome === 'closed' || outcome === 'connected') {
    gateways.record(2, { kind: 'state', t: t + 30, room: r, node: n2, peer: pb, to: pa, connectionState: 'connected' });
  }
  if (outcome === 'closed') gateways.record(1, { kind: 'peer-left', t: t + 40, room: r, node: n1, peer: pa, reason: 'bye' });
  return sessionIdFor(r, pa, pb);
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function newStore(): SqliteSessionStore {
  return new SqliteSessionStore({ path: join(directory, `sessions-${++files}.db`) });
}

describe('session indexing (real Redis streams, real SQLite)', () => {
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(`${process.env['TEST_REDIS_URL']}/1`);
  });
  beforeEach(() => redis.flushdb());
  afterAll(async () => {
    await redis.quit();
    rmSync(directory, { recursive: true, force: true });
  });

  it('a complete call between peers on two nodes becomes one document with both sides', async () => {
    const store = newStore();
    const indexer = await RunningIndexer.start(redis, store, RULES, 'ix-1');
    const gateways = new Gateways(redis);
    const id = call(gateways, 'room-1', 'pa', 'pb', Date.now(), 'closed');
    await gateways.flush();
    const doc = await eventually(() => store.get(id), (d) => d?.connection_state === 'closed');
    expect(doc).toMatchObject({
      client_a_id: 'pa',
      client_b_id: 'pb',
      client_a_user: 'user-pa',
      client_b_user: 'user-pb',
      client_a_remote_addr: '198.51.100.1:40001',
      client_b_remote_addr: '203.0.113.2:40002',
      client_a_node: 'node-1',
      client_b_node: 'node-2',
      candidate_types_a: ['host'],
      candidate_types_b: ['relay'],
      time_to_answer_ms: 10,
      time_to_connected_ms: 20,
      failure_reason: null,
    });
    await indexer.stop();
    await store.close();
  });

  it('deadlines fire with no further event: no-answer and ice-timeout', async () => {
    const store = newStore();
    const indexer = await RunningIndexer.start(redis, store, RULES, 'ix-1');
    const gateways = new Gateways(redis);
    const now = Date.now();
    const unanswered = call(gateways, 'room-2', 'qa', 'qb', now, 'no-answer');
    const unconnected = call(gateways, 'room-3', 'ra', 'rb', now, 'ice-timeout');
    const connected = call(gateways, 'room-4', 'sa', 'sb', now, 'connected');
    await gateways.flush();
    expect(await eventually(() => store.get(unanswered), (d) => d?.connection_state === 'failed')).toMatchObject({ failure_reason: 'no-answer' });
    expect(await eventually(() => store.get(unconnected), (d) => d?.connection_state === 'failed')).toMatchObject({ failure_reason: 'ice-timeout' });
    await new Promise((resolve) => setTimeout(resolve, RULES.iceTimeoutMs + 100));
    expect(await store.get(connected)).toMatchObject({ connection_state: 'connected', failure_reason: null });
    expect(await redis.zcard(REDIS_KEYS.sessionDeadlines(sessionEventShardOf('room-4')))).toBe(0);
    await indexer.stop();
    await store.close();
  });

  it('a deadline survives an indexer restart', async () => {
    const store = newStore();
    const first = await RunningIndexer.start(redis, store, RULES, 'ix-1');
    const gateways = new Gateways(redis);
    const id = call(gateways, 'room-5', 'ta', 'tb', Date.now(), 'no-answer');
    await gateways.flush();
    await eventually(() => store.get(id), (d) => d?.connection_state === 'new');
    await first.stop();
    await new Promise((resolve) => setTimeout(resolve, RULES.negotiationTimeoutMs + 50));
    expect((await store.get(id))?.connection_state).toBe('new');
    const second = await RunningIndexer.start(redis, store, RULES, 'ix-2');
    expect(await eventually(() => store.get(id), (d) => d?.connection_state === 'failed')).toMatchObject({ failure_reason: 'no-answer' });
    await second.stop();
    await store.close();
  });

  it('an indexer that dies mid-batch loses nothing: another takes its shards and unacknowledged entries', async () => {
    const store = newStore();
    const hangingStore = Object.create(store) as SessionStore;
    // the first indexer never gets past its first batch with entries, as if killed during it:
    // every batch loads folds (a write is skipped when a batch changed no session)
    hangingStore.loadFolds = () => new Promise<never>(() => undefined);
    hangingStore.write = (_sessions: readonly StoredSession[]) => new Promise<void>(() => undefined);
    const doomed = await RunningIndexer.start(redis, hangingStore, RULES, 'ix-doomed', 400);
    const gateways = new Gateways(redis);
    const ids = Array.from({ length: 30 }, (_, i) => call(gateways, `room-k${i}`, `ka${i}`, `kb${i}`, Date.now(), 'closed'));
    await gateways.flush();
    const pendingOf = (room: string) => redis.xpending(REDIS_KEYS.sessionEvents(sessionEventShardOf(room)), 'indexer').then((reply) => Number((reply as [number])[0]), () => 0);
    await eventually(() => pendingOf('room-k0'), (n) => n > 0);
    const survivor = await RunningIndexer.start(redis, store, RULES, 'ix-survivor', 400);
    for (const id of ids) await eventually(() => store.get(id), (d) => d?.connection_state === 'closed', 8_000);
    doomed.indexer.stop();
    doomed.source['blocking']?.disconnect();
    await survivor.stop();
    await store.close();
  });

  it('the same entries delivered twice change nothing', async () => {
    const store = newStore();
    const gateways = new Gateways(redis);
    const id = call(gateways, 'room-6', 'ua', 'ub', Date.now(), 'closed');
    await gateways.flush();
    const source = new RedisStreamSessionEventSource(redis, new RedisShardLeases(redis, 'ix-1', { ttlMs: 5_000 }), { consumer: 'ix-1', leaseRenewMs: 1_000, deadLetterMaxLen: 100 });
    const indexer = new SessionIndexer(source, store, new RedisPeerRecordStore(redis, { ttlSeconds: 60, leftTtlSeconds: 60 }), new RedisSessionDeadlines(redis), { rules: RULES, batchEntries: 100, idleWaitMs: 10, retryDelayMs: 10 }, counting());
    const entries = await source.read(100, 50);
    expect(entries.length).toBeGreaterThan(0);
    await indexer.index(entries);
    const once = await store.get(id);
    const fold = (await store.loadFolds([id])).get(id);
    await indexer.index(entries);
    expect(await store.get(id)).toEqual(once);
    expect((await store.loadFolds([id])).get(id)).toEqual(fold);
    expect((once as SessionDocument).message_counts).toEqual({ offer: 1, candidate: 2, answer: 1, state: 1 });
    await source.close();
    await store.close();
  });

  it('entries added to the stream twice (a write retried after its reply was lost) change nothing', async () => {
    const gateways = new Gateways(redis);
    const id = call(gateways, 'room-8', 'wa', 'wb', Date.now(), 'closed');
    await gateways.flush();
    const stream = REDIS_KEYS.sessionEvents(sessionEventShardOf('room-8'));
    const originals = await redis.xrange(stream, '-', '+');
    expect(originals.length).toBeGreaterThan(1);
    // every entry again, verbatim, after the originals: new ids, the same writer and sequence numbers
    for (const [, fields] of originals) await redis.xadd(stream, '*', ...fields);
    const store = newStore();
    const indexer = await RunningIndexer.start(redis, store, RULES, 'ix-1');
    // read and acknowledged, copies included
    await eventually(async () => indexer.observer.events, (n) => n >= 2 * 8);
    expect(await redis.xlen(stream)).toBe(0);
    const doc = (await store.get(id)) as SessionDocument;
    expect(doc).toMatchObject({ connection_state: 'closed', message_counts: { offer: 1, candidate: 2, answer: 1, state: 1 } });
    expect(doc.events.map((e) => e.type)).toEqual(['offer', 'candidate', 'answer', 'candidate', 'state', 'peer-left']);
    expect(indexer.observer.events).toBe(2 * 8);
    await indexer.stop();
    await store.close();
  });

  it('two indexers share the shards and the load', async () => {
    const store = newStore();
    const one = await RunningIndexer.start(redis, store, RULES, 'ix-1', 600);
    const two = await RunningIndexer.start(redis, store, RULES, 'ix-2', 600);
    await eventually(async () => [one.source.ownedShards().length, two.source.ownedShards().length], ([a, b]) => a === 8 && b === 8);
    const gateways = new Gateways(redis);
    const ids = Array.from({ length: 40 }, (_, i) => call(gateways, `room-s${i}`, `a${i}`, `b${i}`, Date.now(), 'closed'));
    await gateways.flush();
    for (const id of ids) await eventually(() => store.get(id), (d) => d?.connection_state === 'closed');
    // a batch is counted once acknowledged, a moment after its sessions are written
    await eventually(async () => one.observer.events + two.observer.events, (n) => n >= 40 * 8);
    expect(one.observer.events).toBeGreaterThan(0);
    expect(two.observer.events).toBeGreaterThan(0);
    expect(one.observer.events + two.observer.events).toBe(40 * 8);
    await one.stop();
    await two.stop();
    await store.close();
  });

  it('an invalid event goes to the dead-letter stream; the rest of its entry is indexed', async () => {
    const store = newStore();
    const indexer = await RunningIndexer.start(redis, store, RULES, 'ix-1');
    const t = Date.now();
    const good: SessionEvent[] = [
      { kind: 'signal', t, room: 'room-7' as RoomId, node: 'node-1' as NodeId, signal: 'offer', from: 'va' as PeerId, to: 'vb' as PeerId },
    ];
    await redis.xadd(REDIS_KEYS.sessionEvents(sessionEventShardOf('room-7')), '*', 'b', JSON.stringify([{ kind: 'signal', t: 'yesterday' }, ...good]));
    await redis.xadd(REDIS_KEYS.sessionEvents(sessionEventShardOf('room-7')), '*', 'b', 'not json');
    const id = sessionIdFor('room-7' as RoomId, 'va' as PeerId, 'vb' as PeerId);
    await eventually(() => store.get(id), (d) => d !== null);
    await eventually(() => redis.xlen(REDIS_KEYS.sessionEventsDeadLetter), (n) => n === 2);
    const letters = await redis.xrange(REDIS_KEYS.sessionEventsDeadLetter, '-', '+');
    expect(letters.map(([, fields]) => fields[fields.indexOf('error') + 1])).toEqual([expect.stringMatching(/^signal: field "\w+"/), 'payload is not valid JSON']);
    expect(indexer.observer.deadLetters).toBe(2);
    await indexer.stop();
    await store.close();
  });
});
