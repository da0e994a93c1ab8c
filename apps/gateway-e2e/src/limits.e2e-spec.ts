import { connect, Socket } from 'node:net';
import { scrapeMetrics, ServerFrame, SignalingClient, startRedisServer, ThrowawayRedis, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS } from './support/redis-keys';
import Redis from 'ioredis';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

// PROTOCOL section 1 limits against built gateways. Each cluster has a private
// Redis: every client here is 127.0.0.1, and per-address counts must not mix
// with other suites' connections.

/** Every rate-limit counter off, so a test turns on only the one it checks. */
const NO_LIMITS = {
  RATE_LIMIT_CONN_PER_10S: '0',
  RATE_LIMIT_PEER_MSGS_PER_10S: '0',
  RATE_LIMIT_IP_MSGS_PER_10S: '0',
  RATE_LIMIT_ROOM_MSGS_PER_10S: '0',
};

interface LimitedCluster {
  cluster: GatewayCluster;
  redis: ThrowawayRedis;
  counters: Redis;
  clients: SignalingClient[];
}

async function startLimitedCluster(nodes: number, env: Record<string, string>): Promise<LimitedCluster> {
  const redis = await startRedisServer();
  const cluster = await startGatewayCluster(nodes, { ...NO_LIMITS, ...env, REDIS_URL: redis.url });
  const counters = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await counters.connect();
  return { cluster, redis, counters, clients: [] };
}

async function stopLimitedCluster(setup: LimitedCluster): Promise<void> {
  for (const client of setup.clients) client.close();
  await setup.cluster.stop();
  await setup.counters.quit();
  await setup.redis.stop();
}

/** The cluster-wide count of a rate-limit key over its live windows (the current and the previous one). */
async function sharedCount(counters: Redis, key: string): Promise<number> {
  // a key's windows share its hash tag: one slot, so one KEYS and one MGET on a cluster node too
  const names = await counters.keys(E2E_REDIS_KEYS.rateLimitPattern(key));
  const values = names.length === 0 ? [] : await counters.mget(...names);
  return values.reduce((sum, value) => sum + Number(value ?? 0), 0);
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends `count` pings with ids `prefix0..` and returns the `count` answers (pong or error), in order. */
async function pings(client: SignalingClient, prefix: string, count: number): Promise<ServerFrame[]> {
  const start = client.frames.length;
  for (let i = 0; i < count; i++) client.send({ type: 'ping', id: `${prefix}${i}`, t: i });
  await until(async () => client.frames.length - start >= count, `${count} answers to ${prefix} pings`);
  return client.frames.slice(start, start + count);
}

function summary(answers: ServerFrame[]): { pongs: number; limited: unknown[] } {
  return {
    pongs: answers.filter((frame) => frame.type === 'pong').length,
    limited: answers.filter((frame) => frame.type === 'error' && frame['code'] === 'rate-limited').map((frame) => frame['ref']),
  };
}

/** A node applies Redis's answer a moment after Redis counted: wait a few sync intervals (100 ms each). */
const SYNC_SETTLE_MS = 300;

/**
 * Limits are 10 s windows aligned on the clock, read as a sliding window: a
 * test that crossed a boundary would see its earlier counts partly decayed.
 * Start where at least 6 s of the window remain.
 */
async function atWindowStart(): Promise<void> {
  const intoWindow = Date.now() % 10_000;
  if (intoWindow > 4_000) await new Promise((r) => setTimeout(r, 10_000 - intoWindow + 20));
}

describe('connection attempts per address across two nodes', () => {
  let setup: LimitedCluster;

  beforeAll(async () => {
    setup = await startLimitedCluster(2, { RATE_LIMIT_CONN_PER_10S: '6' });
  });

  afterAll(() => stopLimitedCluster(setup));

  it('closes the attempt after RATE_LIMIT_CONN_PER_10S with 4429 and sends nothing', async () => {
    await atWindowStart();
    for (let i = 0; i < 6; i++) {
      const client = await SignalingClient.join(setup.cluster.wsUrl(i % 2, `room=${uniqueName('conn')}`));
      setup.clients.push(client);
    }
    const refused = await SignalingClient.connect(setup.cluster.wsUrl(0, `room=${uniqueName('conn')}`));
    const again = await SignalingClient.connect(setup.cluster.wsUrl(1, `room=${uniqueName('conn')}`));

    expect(await refused.closed).toMatchObject({ code: 4429 });
    expect(await again.closed).toMatchObject({ code: 4429 });
    expect(refused.frames).toEqual([]);
    expect((await scrapeMetrics(setup.cluster.nodes[1].baseUrl)).value('signaling_admissions_total', { result: 'rate-limited' })).toBe(1);
  });
});

describe('connection attempts counted by joins and by resumes alike', () => {
  let setup: LimitedCluster;

  beforeAll(async () => {
    setup = await startLimitedCluster(1, { RATE_LIMIT_CONN_PER_10S: '3' });
  });

  afterAll(() => stopLimitedCluster(setup));

  // on one Redis a join counts its attempt in its own step, a resume before it: one counter for both
  it('refuses a resume attempt past the limit that joins used up, and a join past resumes', async () => {
    await atWindowStart();
    const room = uniqueName('attempts');
    for (let i = 0; i < 2; i++) setup.clients.push(await SignalingClient.join(setup.cluster.wsUrl(0, `room=${room}`)));
    const unknownToken = await SignalingClient.connect(setup.cluster.wsUrl(0, `room=${room}&resume=${'x'.repeat(43)}`));
    const resumeOverLimit = await SignalingClient.connect(setup.cluster.wsUrl(0, `room=${room}&resume=${'x'.repeat(43)}`));
    const joinOverLimit = await SignalingClient.connect(setup.cluster.wsUrl(0, `room=${uniqueName('attempts')}`));

    expect(await unknownToken.closed).toEqual({ code: 4400, reason: 'unknown resume token' });
    expect(await resumeOverLimit.closed).toMatchObject({ code: 4429 });
    expect(await joinOverLimit.closed).toMatchObject({ code: 4429 });
    expect((await scrapeMetrics(setup.cluster.nodes[0].baseUrl)).value('signaling_admissions_total', { result: 'rate-limited' })).toBe(2);
  });
});

describe('message limits per peer and per address across two nodes', () => {
  let setup: LimitedCluster;

  beforeAll(async () => {
    setup = await startLimitedCluster(2, { RATE_LIMIT_PEER_MSGS_PER_10S: '12', RATE_LIMIT_IP_MSGS_PER_10S: '20' });
  });

  afterAll(() => stopLimitedCluster(setup));

  it('drops what exceeds the peer limit, then what exceeds the address limit on the other node, with rate-limited errors', async () => {
    await atWindowStart();
    const alice = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${uniqueName('ip')}`));
    const bob = await SignalingClient.join(setup.cluster.wsUrl(1, `room=${uniqueName('ip')}`));
    setup.clients.push(alice, bob);

    // per peer: 12 of 15 pass; the 3 refused do not count against the address
    expect(summary(await pings(alice, 'a', 15))).toEqual({ pongs: 12, limited: ['a12', 'a13', 'a14'] });
    await until(async () => (await sharedCount(setup.counters, 'ip:127.0.0.1')) === 12, 'node 1 to share its count');
    // bob's node has not heard of the address yet: its first message passes and it learns the count
    expect(summary(await pings(bob, 'warm', 1))).toEqual({ pongs: 1, limited: [] });
    await until(async () => (await sharedCount(setup.counters, 'ip:127.0.0.1')) === 13, 'node 2 to share its count');
    await new Promise((r) => setTimeout(r, SYNC_SETTLE_MS));

    // 13 counted across the nodes: 7 more fit under 20, though bob alone sent 1
    expect(summary(await pings(bob, 'b', 10))).toEqual({ pongs: 7, limited: ['b7', 'b8', 'b9'] });
    expect((await scrapeMetrics(setup.cluster.nodes[1].baseUrl)).value('signaling_rate_limited_total', { scope: 'ip' })).toBe(3);
    expect((await scrapeMetrics(setup.cluster.nodes[0].baseUrl)).value('signaling_rate_limited_total', { scope: 'peer' })).toBe(3);
  });
});

describe('message limits per room across two nodes', () => {
  let setup: LimitedCluster;

  beforeAll(async () => {
    setup = await startLimitedCluster(2, { RATE_LIMIT_ROOM_MSGS_PER_10S: '20' });
  });

  afterAll(() => stopLimitedCluster(setup));

  it('drops what exceeds the room limit on either node and leaves another room alone', async () => {
    await atWindowStart();
    const room = uniqueName('busy');
    const carol = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${room}`));
    const dave = await SignalingClient.join(setup.cluster.wsUrl(1, `room=${room}`));
    const erin = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${uniqueName('quiet')}`));
    setup.clients.push(carol, dave, erin);
    // dave's announcement reaches carol before her pings, not among their answers (a busy machine delays it)
    await carol.next('peer-joined');

    expect(summary(await pings(carol, 'c', 15))).toEqual({ pongs: 15, limited: [] });
    await until(async () => (await sharedCount(setup.counters, `room:${room}`)) === 15, 'node 1 to share its count');
    expect(summary(await pings(dave, 'warm', 1))).toEqual({ pongs: 1, limited: [] });
    await until(async () => (await sharedCount(setup.counters, `room:${room}`)) === 16, 'node 2 to share its count');
    await new Promise((r) => setTimeout(r, SYNC_SETTLE_MS));

    expect(summary(await pings(dave, 'd', 10))).toEqual({ pongs: 4, limited: ['d4', 'd5', 'd6', 'd7', 'd8', 'd9'] });
    // the room's limit is shared: carol's node learnt dave's messages too
    await new Promise((r) => setTimeout(r, SYNC_SETTLE_MS));
    expect(summary(await pings(carol, 'c2-', 2))).toEqual({ pongs: 0, limited: ['c2-0', 'c2-1'] });
    // same address, same node as carol, another room
    expect(summary(await pings(erin, 'e', 15))).toEqual({ pongs: 15, limited: [] });
    expect((await scrapeMetrics(setup.cluster.nodes[1].baseUrl)).value('signaling_rate_limited_total', { scope: 'room' })).toBe(6);
  });
});

describe('message limits while Redis is down', () => {
  let setup: LimitedCluster;

  beforeAll(async () => {
    setup = await startLimitedCluster(1, { RATE_LIMIT_IP_MSGS_PER_10S: '10' });
  });

  afterAll(async () => {
    for (const client of setup.clients) client.close();
    await setup.cluster.stop();
    setup.counters.disconnect();
  });

  it('holds the limits on each node alone and counts the failed syncs', async () => {
    await atWindowStart();
    const frank = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${uniqueName('down')}`));
    setup.clients.push(frank);
    expect(summary(await pings(frank, 'f', 4))).toEqual({ pongs: 4, limited: [] });
    await setup.redis.stop();

    expect(summary(await pings(frank, 'g', 8))).toEqual({ pongs: 6, limited: ['g6', 'g7'] });
    await until(
      async () => (await scrapeMetrics(setup.cluster.nodes[0].baseUrl)).value('signaling_rate_limit_sync_failures_total') > 0,
      'a failed sync to be counted',
    );
  });
});

describe('backpressure, the connection cap and HTTP deadlines', () => {
  let setup: LimitedCluster;
  const HEADERS_TIMEOUT_MS = 1_000;
  const REQUEST_TIMEOUT_MS = 2_000;

  beforeAll(async () => {
    setup = await startLimitedCluster(2, {
      BACKPRESSURE_THRESHOLD_BYTES: '65536',
      MAX_CONNECTIONS: '3',
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  });

  afterAll(() => stopLimitedCluster(setup));

  it('closes a peer that stops reading with 1013 while the room keeps receiving promptly', async () => {
    const room = uniqueName('bp');
    const url = setup.cluster.wsUrl(0, `room=${room}`);
    const stalled = await SignalingClient.join(url);
    const reader = await SignalingClient.join(url);
    const flooder = await SignalingClient.join(url);
    setup.clients.push(stalled, reader, flooder);
    await stalled.next('peer-joined');
    await stalled.next('peer-joined');
    await reader.next('peer-joined');
    // the stalled peer's process stops reading: the kernel buffers fill, then the gateway's
    (stalled.ws as unknown as { _socket: Socket })._socket.pause();

    const sdp = `v=0\r\n${'a=x-pad:'.padEnd(30_000, 'x')}\r\n`;
    const sentAt: number[] = [];
    const latencies: number[] = [];
    reader.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'candidate') latencies.push(Date.now() - sentAt[Number(String(frame['candidate']).split(':')[1].split(' ')[0])]);
    });
    // 300 offers of 30 KB (9 MB) to the stalled peer, more than loopback TCP buffers hold, and one candidate to the reader with each
    for (let i = 0; i < 300; i++) {
      flooder.send({ type: 'offer', to: stalled.peerId, sdp });
      sentAt.push(Date.now());
      flooder.send({ type: 'candidate', to: reader.peerId, candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${5000 + i} typ host` });
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    await until(async () => latencies.length === 300, 'the reader to get every candidate', 10_000);
    await until(
      async () => (await scrapeMetrics(setup.cluster.nodes[0].baseUrl)).value('signaling_backpressure_closes_total') === 1,
      'the gateway to close the stalled peer',
    );

    expect(Math.max(...latencies)).toBeLessThan(1_000);
    // reading again, it finds what was buffered, then the close frame
    (stalled.ws as unknown as { _socket: Socket })._socket.resume();
    expect(await stalled.closed).toMatchObject({ code: 1013 });
    expect(reader.ws.readyState).toBe(reader.ws.OPEN);
    expect(flooder.ws.readyState).toBe(flooder.ws.OPEN);
    expect((await reader.next('peer-left'))['peerId']).toBe(stalled.peerId);
    // the room still relays between the others
    reader.send({ type: 'offer', to: flooder.peerId, sdp: 'v=0\r\n' });
    expect((await flooder.next('offer'))['from']).toBe(reader.peerId);
    // free the node's seats for the next tests (MAX_CONNECTIONS=3)
    reader.close();
    flooder.close();
    await Promise.all([reader.closed, flooder.closed]);
  });

  it('refuses the socket over MAX_CONNECTIONS with 1013, and takes one again when a seat frees', async () => {
    const url = (room: string) => setup.cluster.wsUrl(1, `room=${room}`);
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await SignalingClient.join(url(uniqueName('cap'))));
    setup.clients.push(...held);
    const refused = await SignalingClient.connect(url(uniqueName('cap')));

    expect(await refused.closed).toMatchObject({ code: 1013 });
    expect(refused.frames).toEqual([]);
    // the other node has its own cap
    const elsewhere = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${uniqueName('cap')}`));
    setup.clients.push(elsewhere);

    held[0].close();
    await held[0].closed;
    await until(async () => (await scrapeMetrics(setup.cluster.nodes[1].baseUrl)).value('signaling_websockets_active') === 2, 'the seat to free');
    const admitted = await SignalingClient.join(url(uniqueName('cap')));
    setup.clients.push(admitted);
    expect(admitted.welcome['type']).toBe('welcome');
  });

  it('cuts off a client that sends its headers too slowly', async () => {
    const socket = connect(setup.cluster.nodes[0].port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const start = Date.now();
    socket.write(`GET /ws?room=${uniqueName('slow')} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`);
    // one more header line now and then, never the blank line that ends them
    const drip = setInterval(() => socket.write('X-Drip: 1\r\n'), 200);
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    clearInterval(drip);

    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    // the deadline plus Node's check interval (1 s)
    expect(Date.now() - start).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(Date.now() - start).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
  });

  it('does not apply the request deadline to an upgraded WebSocket', async () => {
    const client = await SignalingClient.join(setup.cluster.wsUrl(0, `room=${uniqueName('long')}`));
    setup.clients.push(client);
    // asserting that nothing happens: outlive the request deadline and its check
    await new Promise((r) => setTimeout(r, REQUEST_TIMEOUT_MS + 1_500));

    client.send({ type: 'ping', t: 1 });
    expect(await client.next('pong')).toMatchObject({ t: 1 });
  });
});
