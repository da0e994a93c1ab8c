import Redis from 'ioredis';
import { freePort, SignalingClient, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS } from './support/redis-keys';
import { CaddyProcess, installedCaddyVersion, SHIPPED_CADDYFILE, startCaddy } from './support/caddy-process';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const RESUME_WINDOW_MS = 15_000;
const DRAIN_TIMEOUT_MS = 4_000;
const ROOMS = 100;
const ENV = {
  RESUME_WINDOW_MS: String(RESUME_WINDOW_MS),
  DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
  NODE_HEARTBEAT_INTERVAL_MS: '250',
  NODE_TTL_MS: '1000',
  // every socket comes from Caddy's 127.0.0.1: a per-IP connection limit would count them all as one client
  RATE_LIMIT_CONN_PER_10S: '0',
};
// Shaped like the credentials browsers put in the query (PROTOCOL section 1); auth is off, so
// the gateway ignores the token, but Caddy sees and logs whatever the URL carries.
const JWT_LIKE = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYWRkeS1lMmUifQ.${uniqueName('sig')}`;

type Joined = SignalingClient & { peerId: string; welcome: Record<string, unknown> };

const caddyVersion = installedCaddyVersion();
if (!caddyVersion) process.stderr.write('caddy.e2e-spec: skipped, no `caddy` on the PATH (.ci/run installs Debian\'s caddy)\n');
const describeWithCaddy = caddyVersion ? describe : describe.skip;

/** Waits until `read()` satisfies `done`; Caddy writes a WebSocket's access line only when the socket ends. */
async function eventually<T>(read: () => T, done: (value: T) => boolean, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last saw:\n${String(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function wsLines(log: string): Array<{ logger: string; request: { uri: string } }> {
  return log
    .split('\n')
    .filter((line) => line.includes('"uri":"/ws'))
    .map((line) => JSON.parse(line) as { logger: string; request: { uri: string } });
}

// infra/caddy/Caddyfile, loaded unchanged by real Caddy (addresses from env), in front of two
// gateways: docs/operations.md "Room affinity" and "Caddy".
describeWithCaddy(`Caddy in front of two gateways (${SHIPPED_CADDYFILE}, ${caddyVersion ?? 'caddy not installed'})`, () => {
  let cluster: GatewayCluster;
  let caddy: CaddyProcess;
  let redis: Redis;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, ENV);
    caddy = await startCaddy(cluster.nodes.map((node) => `127.0.0.1:${node.port}`));
    redis = new Redis(process.env['TEST_REDIS_URL'] as string);
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await caddy?.stop();
    await cluster?.stop();
    await redis?.quit();
  });

  async function join(query: string): Promise<Joined> {
    const client = (await SignalingClient.join(caddy.wsUrl(query))) as Joined;
    clients.push(client);
    return client;
  }

  /**
   * Reconnects through Caddy with the resume token, as a client does after 1001. Until Caddy's
   * health check takes the draining node out, the room still hashes to it, and the node
   * answers the upgrade with 1001 (draining) or, between its drain and its exit, HTTP 404
   * (its WebSocket server is already closed); the client tries again. Returns the resumed
   * client and what each bounced try got.
   */
  async function resumeThroughCaddy(room: string, token: unknown): Promise<{ client: Joined; bounces: string[] }> {
    const deadline = Date.now() + RESUME_WINDOW_MS;
    const bounces: string[] = [];
    for (;;) {
      const bounce = await SignalingClient.connect(caddy.wsUrl(`room=${room}&resume=${String(token)}`)).then(
        async (client) => {
          clients.push(client);
          const welcome = await Promise.race([client.next('welcome', RESUME_WINDOW_MS).catch(() => undefined), client.closed.then(() => undefined)]);
          if (welcome) return Object.assign(client, { peerId: welcome['peerId'] as string, welcome }) as Joined;
          const closed = await client.closed;
          if (closed.code !== 1001) throw new Error(`resume in ${room} closed with ${closed.code} ${closed.reason}`);
          return 'close 1001';
        },
        (error: Error) => {
          if (!/^upgrade refused: HTTP (404|502|503)$/.test(error.message)) throw error;
          return error.message.replace('upgrade refused: ', '');
        },
      );
      if (typeof bounce !== 'string') return { client: bounce, bounces };
      bounces.push(bounce);
      if (Date.now() > deadline) throw new Error(`resume in ${room} still bouncing after the resume window: ${bounces.join(', ')}`);
      // a client's reconnect back-off; Caddy's next health check, or the node's exit, ends the bouncing
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The node of every member of `room`, from the room directory in Redis. */
  async function nodesOf(room: string): Promise<Record<string, string>> {
    const members = await redis.hgetall(E2E_REDIS_KEYS.room(room));
    return Object.fromEntries(Object.entries(members).map(([peerId, json]) => [peerId, (JSON.parse(json) as { node: string }).node]));
  }

  it('proxies a join and a resume, and no log it writes holds the token or the resume token', async () => {
    const room = uniqueName('caddy-log');
    const alice = await join(`room=${room}&token=${JWT_LIKE}&name=alice`);
    const bob = await join(`room=${room}&token=${JWT_LIKE}&name=bob`);
    await alice.next('peer-joined');
    const resumeToken = String(bob.welcome['resumeToken']);
    bob.drop();
    const back = await join(`room=${room}&token=${JWT_LIKE}&resume=${resumeToken}`);
    expect(back.peerId).toBe(bob.peerId);
    alice.send({ type: 'offer', sdp: 'v=0 through caddy', to: back.peerId });
    expect(await back.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 through caddy', from: alice.peerId });
    alice.close();
    back.close();

    // three sockets, each logged when it ended
    const lines = wsLines(await eventually(() => caddy.accessLog(), (log) => wsLines(log).filter((line) => line.request.uri.includes(room)).length >= 3, 'three /ws access lines'));
    const ours = lines.filter((line) => line.request.uri.includes(room));
    expect(ours.map((line) => line.request.uri).sort()).toEqual([`/ws?name=alice&room=${room}`, `/ws?name=bob&room=${room}`, `/ws?room=${room}`]);
    for (const log of [caddy.accessLog(), caddy.serverLog()]) {
      expect(log).not.toContain(JWT_LIKE);
      expect(log).not.toContain(resumeToken);
      expect(log).not.toMatch(/[?&](token|resume)=/);
    }
  });

  it('keeps the credentials out of its error log too (no node reachable: 503 after the retries)', async () => {
    const lonely = await startCaddy([`127.0.0.1:${await freePort()}`]);
    try {
      const room = uniqueName('caddy-err');
      await expect(SignalingClient.connect(lonely.wsUrl(`room=${room}&token=${JWT_LIKE}&resume=${JWT_LIKE}`))).rejects.toThrow('HTTP 503');
      // the error entry names the request: proof that the filter, not luck, keeps the token out
      const errors = wsLines(await eventually(() => lonely.serverLog(), (log) => wsLines(log).length > 0, 'an error line for /ws'));
      expect(errors).toEqual([expect.objectContaining({ logger: expect.stringMatching(/^http\.log\.error/), request: expect.objectContaining({ uri: `/ws?room=${room}` }) })]);
      for (const log of [lonely.accessLog(), lonely.serverLog()]) expect(log).not.toContain(JWT_LIKE);
    } finally {
      await lonely.stop();
    }
  });

  it(`puts both peers of each of ${ROOMS} rooms on one node; after a drain every room works and its peers resume`, async () => {
    const rooms = Array.from({ length: ROOMS }, () => uniqueName('affinity'));
    const pairs: Array<{ room: string; alice: Joined; bob: Joined }> = [];
    for (let batch = 0; batch < ROOMS; batch += 20) {
      pairs.push(
        ...(await Promise.all(
          rooms.slice(batch, batch + 20).map(async (room) => {
            const alice = await join(`room=${room}&token=${JWT_LIKE}`);
            const bob = await join(`room=${room}&token=${JWT_LIKE}`);
            await alice.next('peer-joined');
            return { room, alice, bob };
          }),
        )),
      );
    }

    const placement = await Promise.all(pairs.map(async ({ room }) => ({ room, nodes: new Set(Object.values(await nodesOf(room))) })));
    const spanning = placement.filter(({ nodes }) => nodes.size !== 1);
    const roomsPerNode = cluster.nodeIds.map((node) => placement.filter(({ nodes }) => nodes.has(node)).length);
    process.stderr.write(`caddy.e2e-spec: ${spanning.length} of ${ROOMS} rooms span nodes; rooms per node ${roomsPerNode.join(' / ')}\n`);
    expect(spanning).toEqual([]);
    // both nodes take rooms (1 in 10^7 odds against for 100 rooms), so "no room spans" is not "one node took all"
    expect(Math.min(...roomsPerNode)).toBeGreaterThanOrEqual(20);

    // drain node 2 (SIGTERM): its peers get 1001 and come back through Caddy with their tokens
    const drained = cluster.nodeIds[1];
    const onDrained = pairs.filter(({ room }) => placement.find((p) => p.room === room)?.nodes.has(drained));
    const exited = cluster.nodes[1].stop('SIGTERM');
    const moved = await Promise.all(
      onDrained.map(async (pair) => {
        const [aliceClosed, bobClosed] = await Promise.all([pair.alice.closed, pair.bob.closed]);
        expect([aliceClosed.code, bobClosed.code]).toEqual([1001, 1001]);
        const [alice, bob] = await Promise.all([
          resumeThroughCaddy(pair.room, pair.alice.welcome['resumeToken']),
          resumeThroughCaddy(pair.room, pair.bob.welcome['resumeToken']),
        ]);
        expect([alice.client.peerId, bob.client.peerId]).toEqual([pair.alice.peerId, pair.bob.peerId]);
        return { pair, alice: alice.client, bob: bob.client, bounces: [...alice.bounces, ...bob.bounces] };
      }),
    );
    expect(await exited).toBe(0);
    const bounces = moved.flatMap((m) => m.bounces);
    const tally = [...new Set(bounces)].map((kind) => `${bounces.filter((b) => b === kind).length} x ${kind}`).join(', ');
    process.stderr.write(
      `caddy.e2e-spec: ${moved.length} rooms (${2 * moved.length} peers) moved off the drained node; ${bounces.length} resume tries bounced before Caddy took it out (${tally || 'none'})\n`,
    );

    // every room relays a signal both ways, on the surviving node
    const current = pairs.map((pair) => moved.find((m) => m.pair === pair) ?? pair);
    await Promise.all(
      current.map(async ({ alice, bob }) => {
        alice.send({ type: 'offer', sdp: 'v=0 after drain', to: bob.peerId });
        expect(await bob.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 after drain', from: alice.peerId });
        bob.send({ type: 'answer', sdp: 'v=0 answer', to: alice.peerId });
        expect(await alice.next('answer')).toEqual({ type: 'answer', sdp: 'v=0 answer', from: bob.peerId });
      }),
    );
    const after = await Promise.all(pairs.map(async ({ room }) => new Set(Object.values(await nodesOf(room)))));
    expect(after.filter((nodes) => nodes.size !== 1 || !nodes.has(cluster.nodeIds[0]))).toEqual([]);
    // a resume is invisible to the other peer: nobody left or joined
    for (const { alice, bob } of current) {
      expect([...alice.frames, ...bob.frames].filter((frame) => frame.type === 'peer-left')).toEqual([]);
    }
    // and the whole run, resumes included, logged no credential
    for (const log of [caddy.accessLog(), caddy.serverLog()]) {
      expect(log).not.toContain(JWT_LIKE);
      expect(log).not.toMatch(/[?&](token|resume)=/);
    }
  }, 90_000);
});
