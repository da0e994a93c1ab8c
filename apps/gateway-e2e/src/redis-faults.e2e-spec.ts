import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { SessionDocument, SessionEvent } from '@sg/schema';
import { AppProcess, scrapeMetrics, SignalingClient, startApp, startRedisServer, ThrowawayRedis, uniqueName, within } from '@sg/testing';
import { sessionEventStreams } from './support/redis-keys';

// Redis faults (docs/operations.md "Faults"). Each suite has its own redis-server: it is
// SIGKILLed and restarted on the same port, empty, as Redis without persistence comes back.

const ADMIN_API_KEY = 'test-admin-key-redis-faults-0123456789';

type Joined = SignalingClient & { peerId: string };

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every session event batch in the session event streams, oldest first per stream. */
async function streamedEvents(redis: Redis): Promise<SessionEvent[]> {
  const events: SessionEvent[] = [];
  for (const key of sessionEventStreams()) {
    for (const [, fields] of await redis.xrange(key, '-', '+')) events.push(...(JSON.parse(fields[1]) as SessionEvent[]));
  }
  return events;
}

/** Listens where Redis was and records when each connection attempt came, closing each at once. */
function recordConnections(port: number): Promise<{ server: Server; times: number[] }> {
  const times: number[] = [];
  const server = createServer((socket) => {
    times.push(Date.now());
    socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, times }));
  });
}

async function readiness(app: AppProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Sends an offer from `from` to `to` and returns what `to` received. */
async function relayOffer(from: Joined, to: Joined, sdp: string) {
  from.send({ type: 'offer', to: to.peerId, sdp });
  const offer = await to.next('offer', 10_000);
  expect(offer).toEqual({ type: 'offer', sdp, from: from.peerId });
}

describe('when Redis goes away and comes back empty', () => {
  let redis: ThrowawayRedis;
  let gateway: AppProcess;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    gateway = await startApp('gateway', { NODE_ID: uniqueName('fault'), REDIS_URL: redis.url });
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await gateway.stop('SIGKILL');
    await redis.stop();
  });

  it('keeps the process and same-node rooms up, refuses joins fast, and recovers by itself with the buffered events', async () => {
    const url = (room: string) => `ws://127.0.0.1:${gateway.port}/ws?room=${room}`;
    const room = uniqueName('live');
    const alice = await SignalingClient.join(url(room));
    const bob = await SignalingClient.join(url(room));
    clients.push(alice, bob);
    await alice.next('peer-joined');
    await relayOffer(alice, bob, 'v=0 before');

    await redis.stop(); // SIGKILL

    // same-node relaying needs no Redis: both directions, while the node knows Redis is gone
    await until('readiness 503', async () => (await readiness(gateway)).status === 503);
    await relayOffer(alice, bob, 'v=0 during-1');
    bob.send({ type: 'answer', to: alice.peerId, sdp: 'v=0 during-answer' });
    expect(await alice.next('answer', 10_000)).toMatchObject({ sdp: 'v=0 during-answer', from: bob.peerId });
    alice.send({ type: 'candidate', to: bob.peerId, candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    expect(await bob.next('candidate', 10_000)).toMatchObject({ from: alice.peerId, sdpMid: '0' });

    const ready = await readiness(gateway);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect((await fetch(`${gateway.baseUrl}/healthz`)).status).toBe(200);

    // a new join is refused with 1013, and at once: commands do not wait in a queue
    const joinStarted = Date.now();
    const carol = await SignalingClient.connect(url(uniqueName('down')));
    expect((await carol.closed).code).toBe(1013);
    const refusedInMs = Date.now() - joinStarted;
    expect(carol.frames).toEqual([]);
    expect(refusedInMs).toBeLessThan(1_500);

    // the events of the outage wait in the node's bounded buffer
    // (the gauge is updated by each write attempt)
    await until('3 events pending', async () => (await scrapeMetrics(gateway.baseUrl)).value('signaling_session_events_pending') >= 3);
    expect((await scrapeMetrics(gateway.baseUrl)).value('signaling_session_event_write_failures_total')).toBeGreaterThan(0);

    // no connect storm: once backed off (2 s into the outage), each of the node's
    // connections tries at most once a second and never gives up: its two own (commands,
    // subscriber; every 1 to 2 s) and the Nest Redis transport's four (server and client,
    // each a publisher and a subscriber; every RETRY_DELAY_MS, 1 s)
    const connections = { own: 2, transport: 4 };
    const listener = await recordConnections(redis.port);
    const listenedAt = Date.now();
    const windowMs = 5_000;
    await new Promise((r) => setTimeout(r, 2_000 + windowMs));
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
    const attempts = listener.times.filter((t) => t >= listenedAt + 2_000).length;
    expect(attempts).toBeGreaterThanOrEqual(connections.own * Math.floor(windowMs / 2_000));
    expect(attempts).toBeLessThanOrEqual((connections.own + connections.transport) * (windowMs / 1_000 + 1));
    process.stdout.write(`Redis down: join refused with 1013 in ${refusedInMs} ms; ${attempts} connection attempts in ${windowMs} ms\n`);
    await relayOffer(alice, bob, 'v=0 during-2');
    expect(gateway.child.exitCode).toBeNull();

    redis = await startRedisServer({ port: redis.port });
    await until('readiness 200', async () => (await readiness(gateway)).status === 200);

    // Redis forgot this node's peers: they are closed with 1013 and join again
    expect(await within(alice.closed, 10_000)).toMatchObject({ code: 1013 });
    expect(await within(bob.closed, 10_000)).toMatchObject({ code: 1013 });
    const dave = await until('a join after the restart', () => SignalingClient.join(url(room)));
    const erin = await SignalingClient.join(url(room));
    clients.push(dave, erin);
    await relayOffer(erin, dave, 'v=0 after');

    // the outage's events were written once Redis answered again (its earlier stream is gone with it);
    // they are told apart by their peers: alice and bob never joined the restarted Redis
    const reader = new Redis(redis.url);
    try {
      const pair = new Set([alice.peerId, bob.peerId]);
      const during = [`offer ${alice.peerId}->${bob.peerId}`, `answer ${bob.peerId}->${alice.peerId}`, `candidate ${alice.peerId}->${bob.peerId}`, `offer ${alice.peerId}->${bob.peerId}`];
      const signals = await until('the outage events in the stream', async () => {
        const events = (await streamedEvents(reader)).filter((e) => e.room === room && e.kind === 'signal' && pair.has(e.from) && pair.has(e.to));
        return events.length >= during.length ? events.map((e) => e.kind === 'signal' && `${e.signal} ${e.from}->${e.to}`) : null;
      });
      // the offer made just before the kill may still have been in the buffer (one flush interval): then it comes first
      expect([during, [`offer ${alice.peerId}->${bob.peerId}`, ...during]]).toContainEqual(signals);
    } finally {
      reader.disconnect();
    }
    expect((await scrapeMetrics(gateway.baseUrl)).value('signaling_session_events_dropped_total')).toBe(0);
    expect(gateway.output()).not.toMatch(/unhandled|uncaught|"level":60/i);
  }, 90_000);
});

describe('with no indexer running', () => {
  let redis: ThrowawayRedis;
  let gateway: AppProcess;
  let adminSearch: AppProcess;
  let indexer: AppProcess | null = null;
  let directory: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    directory = mkdtempSync(join(tmpdir(), 'redis-faults-'));
    [gateway, adminSearch] = await Promise.all([
      // the smallest stream bound, and one entry per millisecond of traffic, so the bound shows quickly
      startApp('gateway', { NODE_ID: uniqueName('noidx'), REDIS_URL: redis.url, SESSION_EVENTS_MAXLEN: '1000', SESSION_EVENTS_FLUSH_MS: '1', RATE_LIMIT_PEER_MSGS_PER_10S: '0' }),
      startApp('admin-search', { REDIS_URL: redis.url, ADMIN_API_KEY, SQLITE_PATH: join(directory, 'sessions.db') }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway.stop('SIGKILL'), adminSearch.stop('SIGKILL'), indexer?.stop('SIGKILL')]);
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps relaying, keeps its events in the bounded stream, and a later indexer indexes them', async () => {
    const url = (room: string) => `ws://127.0.0.1:${gateway.port}/ws?room=${room}`;
    const room = uniqueName('noidx');
    const alice = await SignalingClient.join(url(room));
    const bob = await SignalingClient.join(url(room));
    try {
      await alice.next('peer-joined');
      // many small stream entries: one state report per round trip
      for (let i = 0; i < 400; i++) {
        alice.send({ type: 'state', to: bob.peerId, signalingState: 'stable' });
        alice.send({ type: 'ping', t: i });
        await alice.next('pong');
        await new Promise((r) => setTimeout(r, 2));
      }
      await relayOffer(alice, bob, 'v=0 unindexed');
      bob.send({ type: 'answer', to: alice.peerId, sdp: 'v=0 unindexed-answer' });
      await alice.next('answer', 10_000);

      const reader = new Redis(redis.url);
      try {
        const stream = await until('the room stream', async () => {
          for (const key of sessionEventStreams()) {
            const [, fields] = (await reader.xrevrange(key, '+', '-', 'COUNT', 1))[0] ?? [];
            const newest = fields ? (JSON.parse(fields[1]) as SessionEvent[]) : [];
            if (newest.some((e) => e.room === room && e.kind === 'signal' && e.signal === 'answer')) return key;
          }
          return null;
        });
        const info = (await reader.xinfo('STREAM', stream)) as unknown[];
        const field = (name: string) => Number(info[info.indexOf(name) + 1]);
        // SESSION_EVENTS_MAXLEN spread over 16 shard streams, trimmed approximately (whole nodes of 100)
        expect(field('entries-added')).toBeGreaterThan(field('length'));
        expect(field('length')).toBeLessThanOrEqual(Math.ceil(1_000 / 16) + 100);
        // nobody reads them yet
        expect(await reader.xinfo('GROUPS', stream)).toEqual([]);
      } finally {
        reader.disconnect();
      }

      indexer = await startApp('diagnostics-indexer', { REDIS_URL: redis.url, SQLITE_PATH: join(directory, 'sessions.db'), NODE_ID: uniqueName('late-indexer') });
      const session = await until(
        'the session indexed by the late indexer',
        async () => {
          const response = await fetch(`${adminSearch.baseUrl}/api/sessions?room=${room}`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
          const hits = ((await response.json()) as { hits: SessionDocument[] }).hits;
          return hits.find((hit) => hit.connection_state === 'connecting') ?? null;
        },
        30_000,
      );
      expect(session).toMatchObject({ room_id: room, client_a_id: alice.peerId, client_b_id: bob.peerId, connection_state: 'connecting' });
      expect(gateway.output()).not.toMatch(/unhandled|uncaught|"level":(50|60)/i);
    } finally {
      alice.close();
      bob.close();
    }
  }, 90_000);
});

// PROTOCOL section 3: 504 when the owning node does not answer within 3 s; a Redis that stops
// answering (frozen with SIGSTOP: its connections stay open) must not stretch that.
describe('when Redis stops answering during operator actions', () => {
  let redis: ThrowawayRedis;
  let adminSearch: AppProcess;
  let directory: string;
  const call = (method: string, path: string) => fetch(`${adminSearch.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });

  beforeAll(async () => {
    redis = await startRedisServer();
    directory = mkdtempSync(join(tmpdir(), 'redis-faults-'));
    adminSearch = await startApp('admin-search', { REDIS_URL: redis.url, ADMIN_API_KEY, SQLITE_PATH: join(directory, 'sessions.db') });
  });

  afterAll(async () => {
    redis?.resume();
    await adminSearch?.stop('SIGKILL');
    await redis?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers 504 within 3 s, and its action-log entries land once Redis answers again', async () => {
    const room = uniqueName('frozen');
    const node = uniqueName('frozen-node');
    redis.pause();
    try {
      for (const [method, path] of [
        ['POST', `/api/rooms/${room}/peers/some-peer/kick`],
        ['DELETE', `/api/rooms/${room}`],
        ['POST', `/api/nodes/${node}/drain`],
      ]) {
        const startedAt = Date.now();
        const response = await call(method, path);
        const elapsed = Date.now() - startedAt;
        expect({ path, status: response.status, body: await response.json() }).toEqual({
          path,
          status: 504,
          body: { statusCode: 504, message: 'Redis did not answer within 3 s', error: 'Gateway Timeout' },
        });
        // the action's budget is 2.9 s; a busy machine may add some scheduling delay on top
        expect(elapsed).toBeLessThan(3_500);
      }
    } finally {
      redis.resume();
    }
    const logged = await until('the three timeouts in the action log', async () => {
      const response = await call('GET', '/api/actions?limit=10');
      const actions = (await response.json()) as Array<{ action: string; target: string; node_id: string | null; result: string }>;
      return actions.length === 3 ? actions : null;
    });
    expect(logged.map(({ action, target, node_id, result }) => ({ action, target, node_id, result }))).toEqual([
      { action: 'drain', target: node, node_id: null, result: 'timeout' },
      { action: 'close-room', target: room, node_id: null, result: 'timeout' },
      { action: 'kick', target: `${room}/some-peer`, node_id: null, result: 'timeout' },
    ]);
    expect(adminSearch.output()).toMatch(/answered before its action-log entry was written/);
  }, 60_000);
});
