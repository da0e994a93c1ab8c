import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionDocument } from '@sg/schema';
import { AppProcess, scrapeMetrics, SignalingClient, startApp, startRedisCluster, ThrowawayRedisCluster, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS, sessionEventStreams, sessionEventShardOf } from '../support/redis-keys';

const ADMIN_API_KEY = 'test-admin-key-failover-0123456789';
// a TTL shorter than a failover takes: the nodes whose slot's master dies miss beats and must not be reaped for it
// every client connects from 127.0.0.1: the per-address limits would count all 18 peers as one
const GATEWAY_ENV = {
  NODE_HEARTBEAT_INTERVAL_MS: '500',
  NODE_TTL_MS: '1500',
  SESSION_EVENTS_FLUSH_MS: '20',
  RATE_LIMIT_CONN_PER_10S: '10000',
  RATE_LIMIT_IP_MSGS_PER_10S: '0',
};
const PAIRS = 9;
const ROOM_CAPACITY = 10;

type Joined = SignalingClient & { peerId: string };

/** One call between A and B: what each sent, so the session document can be checked against it. */
interface Pair {
  readonly room: string;
  readonly a: Joined;
  readonly b: Joined;
  stats: number;
  candidates: number;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// PROTOCOL section 4: on a Redis Cluster, "no loss of session events when a master fails over"
describe('a Redis Cluster master killed mid-traffic', () => {
  let cluster: ThrowawayRedisCluster;
  const directory = mkdtempSync(join(tmpdir(), 'redis-failover-'));
  const gateways: AppProcess[] = [];
  const gatewayIds = [uniqueName('fo-1'), uniqueName('fo-2'), uniqueName('fo-3')];
  let indexer: AppProcess;
  let adminSearch: AppProcess;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const redis = { REDIS_CLUSTER_NODES: cluster.seeds };
    const sqlitePath = join(directory, 'sessions.db');
    gateways.push(...(await Promise.all(gatewayIds.map((id) => startApp('gateway', { ...redis, ...GATEWAY_ENV, NODE_ID: id, ROOM_CAPACITY: String(ROOM_CAPACITY) })))));
    [indexer, adminSearch] = await Promise.all([
      startApp('diagnostics-indexer', { ...redis, SQLITE_PATH: sqlitePath, NODE_ID: uniqueName('fo-indexer'), SHARD_LEASE_TTL_MS: '1000' }),
      startApp('admin-search', { ...redis, ADMIN_API_KEY, SQLITE_PATH: sqlitePath }),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([...gateways, indexer, adminSearch].filter(Boolean).map((app) => app.stop('SIGKILL')));
    await cluster?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  async function joinOn(gateway: number, room: string): Promise<Joined> {
    const client = (await SignalingClient.join(`ws://127.0.0.1:${gateways[gateway].port}/ws?room=${room}`)) as Joined;
    clients.push(client);
    return client;
  }

  async function sessionsOf(room: string): Promise<SessionDocument[]> {
    const response = await fetch(`${adminSearch.baseUrl}/api/sessions/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: `room_id = "${room}"`, limit: 10 }),
    });
    return ((await response.json()) as { hits: SessionDocument[] }).hits;
  }

  /** The master most of this test's keys live on: rooms, their event streams, the gateways' node keys. */
  async function busiestMaster(rooms: readonly string[]): Promise<number> {
    const keys = [...rooms.map(E2E_REDIS_KEYS.room), ...rooms.map((room) => sessionEventStreams()[sessionEventShardOf(room)]), ...gatewayIds.map((id) => `sg:node-alive:{${id}}`)];
    const counts = new Map<number, number>();
    for (const port of await Promise.all(keys.map((key) => cluster.masterOf(key)))) counts.set(port, (counts.get(port) ?? 0) + 1);
    return [...counts].sort((x, y) => y[1] - x[1])[0][0];
  }

  it('loses no session event, keeps relaying, reaps no node, keeps capacity exact, and every gateway is ready within 10 s of the promotion', async () => {
    // calls on one node and across nodes, each answered and connected before the failure
    const pairs: Pair[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const room = uniqueName('fo-call');
      const a = await joinOn(i % 3, room);
      const b = await joinOn(i < 3 ? i % 3 : (i + 1) % 3, room);
      await a.next('peer-joined');
      a.send({ type: 'offer', to: b.peerId, sdp: 'v=0 failover' });
      await b.next('offer');
      b.send({ type: 'answer', to: a.peerId, sdp: 'v=0 failover-answer' });
      await a.next('answer');
      for (const [self, other] of [
        [a, b],
        [b, a],
      ]) {
        self.send({ type: 'state', to: other.peerId, iceConnectionState: 'connected', connectionState: 'connected' });
      }
      pairs.push({ room, a, b, stats: 0, candidates: 0 });
    }

    // both sides report stats and A trickles candidates, all through the failure
    let streaming = true;
    const traffic = (async () => {
      for (let tick = 0; streaming; tick++) {
        for (const pair of pairs) {
          pair.a.send({ type: 'stats', to: pair.b.peerId, report: { rttMs: tick } });
          pair.b.send({ type: 'stats', to: pair.a.peerId, report: { rttMs: tick } });
          pair.stats += 2;
          if (tick % 4 === 0) {
            pair.a.send({ type: 'candidate', to: pair.b.peerId, candidate: `candidate:${tick} 1 udp 1 127.0.0.1 ${5000 + tick} typ host` });
            pair.candidates += 1;
          }
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_000));

    const master = await busiestMaster(pairs.map((pair) => pair.room));
    // the failure must hit what this test checks: some calls' event streams live on that master
    const streamsThere = await Promise.all(pairs.map(async (pair) => (await cluster.masterOf(sessionEventStreams()[sessionEventShardOf(pair.room)])) === master));
    expect(streamsThere.filter(Boolean).length).toBeGreaterThan(0);
    const promotedTo = (await cluster.roles()).find((role) => role.masterPort === master)?.port;
    const killedAt = Date.now();
    await cluster.kill(master);
    await cluster.waitUntilHealthy(30_000);
    const promotedAt = Date.now();
    expect((await cluster.roles()).find((role) => role.port === promotedTo)?.role).toBe('master');

    // every gateway ready again within 10 s of the promotion
    const readyAfter = await Promise.all(
      gateways.map((gateway) => until('ready', async () => (await fetch(`${gateway.baseUrl}/readyz`)).status === 200 && Date.now() - promotedAt, 15_000)),
    );
    for (const ms of readyAfter) expect(ms).toBeLessThan(10_000);
    const writeFailures = await Promise.all(gateways.map(async (gateway) => (await scrapeMetrics(gateway.baseUrl)).value('signaling_session_event_write_failures_total')));
    process.stdout.write(
      `failover: replica promoted ${promotedAt - killedAt} ms after the kill; gateways ready ${readyAfter.join(', ')} ms after it; ` +
        `${writeFailures.reduce((sum, n) => sum + n, 0)} event writes retried meanwhile\n`,
    );

    await new Promise((r) => setTimeout(r, 1_500));
    streaming = false;
    await traffic;

    // relaying went on: every candidate reached its peer, in order, late at worst
    for (const pair of pairs) {
      for (let n = 0; n < pair.candidates; n++) {
        const candidate = await pair.b.next('candidate', 15_000);
        expect(candidate['from']).toBe(pair.a.peerId);
        expect(String(candidate['candidate'])).toMatch(new RegExp(`^candidate:${n * 4} `));
      }
    }
    // no node was taken for dead: nobody was closed or announced gone, and no message was refused
    for (const client of clients) expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(clients.flatMap((client) => client.frames).filter((frame) => frame.type === 'peer-left' || frame.type === 'error')).toEqual([]);

    for (const pair of pairs) {
      pair.a.send({ type: 'bye' });
      expect(await pair.b.next('peer-left', 15_000)).toMatchObject({ peerId: pair.a.peerId, reason: 'bye' });
      pair.b.send({ type: 'bye' });
    }

    // every event the gateways took is in its session: none lost, none twice
    for (const pair of pairs) {
      const doc = await until(
        `the session of ${pair.room} with all its events`,
        async () => {
          const [found] = await sessionsOf(pair.room);
          return found && found.connection_state === 'closed' && found.message_counts['stats'] >= pair.stats ? found : null;
        },
        20_000,
      );
      expect({ room: pair.room, counts: doc.message_counts, end: doc.end_reason }).toEqual({
        room: pair.room,
        counts: { offer: 1, answer: 1, state: 2, stats: pair.stats, candidate: pair.candidates },
        end: 'bye',
      });
    }

    // no room left behind (once the last byes are through), and capacity exact on the promoted master's rooms
    await Promise.all(pairs.map((pair) => pair.b.closed));
    await until(
      'every call room gone from GET /api/rooms',
      async () => {
        const listed = (await (await fetch(`${adminSearch.baseUrl}/api/rooms`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } })).json()) as Array<{ room_id: string }>;
        return listed.every((room) => !pairs.some((pair) => pair.room === room.room_id));
      },
      5_000,
    );
    let crowded = uniqueName('fo-crowd');
    while ((await cluster.masterOf(E2E_REDIS_KEYS.room(crowded))) !== promotedTo) crowded = uniqueName('fo-crowd');
    const attempts = await Promise.all(Array.from({ length: 30 }, (_, i) => SignalingClient.connect(`ws://127.0.0.1:${gateways[i % 3].port}/ws?room=${crowded}`)));
    clients.push(...attempts);
    // each attempt's outcome, with the gateway it went to and any other close's reason, so a
    // failure shows what the refused joins got rather than only how many were not 4409
    const outcomes = await Promise.all(
      attempts.map(
        (client, i) =>
          new Promise<string>((resolve) => {
            client.next('welcome', 10_000).then(() => resolve('welcome'), () => undefined);
            client.closed.then((event) => resolve(event.code === 4409 ? '4409' : `gateway ${i % 3}: ${event.code} ${event.reason}`));
          }),
      ),
    );
    const tally: Record<string, number> = {};
    for (const outcome of outcomes) tally[outcome] = (tally[outcome] ?? 0) + 1;
    expect(tally).toEqual({ welcome: ROOM_CAPACITY, '4409': 30 - ROOM_CAPACITY });
  }, 120_000);
});
