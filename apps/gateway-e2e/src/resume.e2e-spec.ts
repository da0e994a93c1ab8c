import { connectRedisOf, scrapeMetrics, SignalingClient, uniqueName } from '@sg/testing';
import { E2E_REDIS_KEYS } from './support/redis-keys';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const RESUME_WINDOW_MS = 3_000;
const NODE_TTL_MS = 1_000;
const ENV = {
  RESUME_WINDOW_MS: String(RESUME_WINDOW_MS),
  NODE_HEARTBEAT_INTERVAL_MS: '250',
  NODE_TTL_MS: String(NODE_TTL_MS),
};

type Joined = SignalingClient & { peerId: string; welcome: Record<string, unknown> };

/**
 * Until its node has noticed the lost socket (and holds the seat), a signal for the peer is
 * written to that socket and lost with it, like any frame in flight on a dropped connection;
 * resume promises the signals sent after that. On a busy machine the node reads the reset
 * late, so wait for the hold in Redis.
 */
async function heldInRedis(room: string, peerId: string): Promise<void> {
  const redis = connectRedisOf();
  try {
    const deadline = Date.now() + 5_000;
    while ((await redis.zscore(E2E_REDIS_KEYS.roomHeld(room), peerId)) === null) {
      if (Date.now() > deadline) throw new Error(`peer ${peerId} of ${room} was never held`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    redis.disconnect();
  }
}

// PROTOCOL section 1, resume: a lost peer comes back with its token, on any node.
describe('resume of a lost peer', () => {
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, ENV);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await cluster.stop();
  });

  async function join(node: number, room: string): Promise<Joined> {
    const client = (await SignalingClient.join(cluster.wsUrl(node, `room=${room}`))) as Joined;
    clients.push(client);
    return client;
  }

  async function resume(node: number, room: string, token: unknown): Promise<Joined> {
    const client = (await SignalingClient.join(cluster.wsUrl(node, `room=${room}&resume=${String(token)}`))) as Joined;
    clients.push(client);
    return client;
  }

  async function refused(node: number, query: string) {
    const client = await SignalingClient.connect(cluster.wsUrl(node, query));
    clients.push(client);
    return client.closed;
  }

  /** Alice on node 0, Bob on `bobNode`, both seeing each other. */
  async function pair(bobNode: number, prefix: string) {
    const room = uniqueName(prefix);
    const alice = await join(0, room);
    const bob = await join(bobNode, room);
    await alice.next('peer-joined');
    return { room, alice, bob };
  }

  /** Bob's socket is lost; once his node holds him, Alice sends an offer and two candidates. */
  async function loseAndSignal(alice: SignalingClient, bob: Joined, room: string): Promise<void> {
    bob.drop();
    await heldInRedis(room, bob.peerId);
    alice.send({ type: 'offer', sdp: 'v=0 meanwhile', to: bob.peerId });
    alice.send({ type: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, to: bob.peerId });
    alice.send({ type: 'candidate', candidate: '', to: bob.peerId });
    // a ping answered proves the node handled all three before the resume
    alice.send({ type: 'ping', t: 1 });
    await alice.next('pong');
  }

  async function expectSignalsInOrder(client: SignalingClient, from: string): Promise<void> {
    expect(await client.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 meanwhile', from });
    expect(await client.next('candidate')).toEqual({ type: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0, from });
    expect(await client.next('candidate')).toEqual({ type: 'candidate', candidate: '', from });
  }

  it.each([
    ['the same node', 1],
    ['the other node', 0],
  ])('keeps the peer id on %s, with a new welcome and the messages sent meanwhile, in order; peers see nothing', async (_, resumeNode) => {
    const { room, alice, bob } = await pair(1, 'resume');
    const seenBefore = alice.frames.length;
    await loseAndSignal(alice, bob, room);

    const back = await resume(resumeNode, room, bob.welcome['resumeToken']);

    expect(back.welcome).toEqual({
      type: 'welcome',
      peerId: bob.peerId,
      room,
      peers: [{ peerId: alice.peerId }],
      iceServers: [],
      resumeToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(back.welcome['resumeToken']).not.toEqual(bob.welcome['resumeToken']);
    // the welcome came first, then the buffered signals
    expect(back.frames[0].type).toBe('welcome');
    await expectSignalsInOrder(back, alice.peerId);
    // both ways after the move
    back.send({ type: 'answer', sdp: 'v=0 answer', to: alice.peerId });
    expect(await alice.next('answer')).toEqual({ type: 'answer', sdp: 'v=0 answer', from: bob.peerId });
    alice.send({ type: 'candidate', candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host', to: bob.peerId });
    expect(await back.next('candidate')).toMatchObject({ candidate: 'candidate:2 1 udp 1 127.0.0.1 5001 typ host', from: alice.peerId });
    await alice.expectQuiet(RESUME_WINDOW_MS + 1_000);
    expect(alice.frames.slice(seenBefore).filter((frame) => frame.type === 'peer-left' || frame.type === 'peer-joined')).toEqual([]);
  });

  it('accepts a token once: the old token is refused after a resume, the new one works', async () => {
    const { room, alice, bob } = await pair(1, 'once');
    bob.drop();
    const back = await resume(0, room, bob.welcome['resumeToken']);
    back.drop();

    expect(await refused(1, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`)).toEqual({ code: 4400, reason: 'unknown resume token' });
    const again = await resume(1, room, back.welcome['resumeToken']);
    expect(again.peerId).toBe(bob.peerId);
    await alice.expectQuiet(500, 'peer-left');
  });

  it('refuses a token in another room, without using it up', async () => {
    const { room, bob } = await pair(1, 'room');
    bob.drop();

    expect(await refused(0, `room=${uniqueName('elsewhere')}&resume=${String(bob.welcome['resumeToken'])}`)).toEqual({
      code: 4400,
      reason: 'unknown resume token',
    });
    expect((await resume(0, room, bob.welcome['resumeToken'])).peerId).toBe(bob.peerId);
  });

  it('announces `timeout` after the window when the peer does not resume, and then refuses its token', async () => {
    const { room, alice, bob } = await pair(1, 'late');
    const droppedAt = Date.now();
    bob.drop();

    expect(await alice.next('peer-left', RESUME_WINDOW_MS + 5_000)).toEqual({ type: 'peer-left', peerId: bob.peerId, reason: 'timeout' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(RESUME_WINDOW_MS - 50);
    expect(await refused(0, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`)).toEqual({ code: 4400, reason: 'unknown resume token' });
  });

  it.each([
    ['closed its socket with a close frame', 'disconnected', (client: SignalingClient) => client.close()],
    ['said bye', 'bye', (client: SignalingClient) => client.send({ type: 'bye' })],
  ])('cannot resume a peer that %s', async (_, reason, leave) => {
    const { room, alice, bob } = await pair(1, 'left');
    leave(bob);

    expect(await alice.next('peer-left')).toEqual({ type: 'peer-left', peerId: bob.peerId, reason });
    expect(await refused(0, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`)).toEqual({ code: 4400, reason: 'unknown resume token' });
  });

  it('takes over from a socket the server still thinks is open, which is closed without a departure', async () => {
    const { room, alice, bob } = await pair(1, 'takeover');

    const back = await resume(0, room, bob.welcome['resumeToken']);

    expect(back.peerId).toBe(bob.peerId);
    expect((await bob.closed).code).toBe(1000);
    alice.send({ type: 'offer', sdp: 'v=0 after', to: bob.peerId });
    expect(await back.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 after', from: alice.peerId });
    await alice.expectQuiet(1_000, 'peer-left');
  });
});

// A node killed without warning: its peers may resume on a survivor within the window.
describe('resume after a node is killed', () => {
  let cluster: GatewayCluster;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, ENV);
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await cluster.stop();
  });

  async function join(node: number, query: string): Promise<Joined> {
    const client = (await SignalingClient.join(cluster.wsUrl(node, query))) as Joined;
    clients.push(client);
    return client;
  }

  it('keeps the partner of a peer that resumes on the survivor from seeing anything; the other one gets `node-lost` after the window', async () => {
    const [resumed, abandoned] = [uniqueName('survivor'), uniqueName('abandoned')];
    const alice = await join(0, `room=${resumed}`);
    const bob = await join(1, `room=${resumed}`);
    const carol = await join(0, `room=${abandoned}`);
    const dave = await join(1, `room=${abandoned}`);
    await Promise.all([alice.next('peer-joined'), carol.next('peer-joined')]);

    const killedAt = Date.now();
    await cluster.nodes[1].stop('SIGKILL');
    await bob.closed;
    // sent to the dead node: nobody is subscribed there, so the survivor keeps it for Bob
    alice.send({ type: 'offer', sdp: 'v=0 to the dead node', to: bob.peerId });
    alice.send({ type: 'ping' });
    await alice.next('pong');
    const back = await join(0, `room=${resumed}&resume=${String(bob.welcome['resumeToken'])}`);

    expect(back.peerId).toBe(bob.peerId);
    expect(back.welcome['peers']).toEqual([{ peerId: alice.peerId }]);
    expect(await back.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 to the dead node', from: alice.peerId });
    expect(await carol.next('peer-left', RESUME_WINDOW_MS + NODE_TTL_MS + 8_000)).toEqual({ type: 'peer-left', peerId: dave.peerId, reason: 'node-lost' });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(RESUME_WINDOW_MS);
    await alice.expectQuiet(1_000);
    expect(alice.frames.filter((frame) => frame.type === 'peer-left')).toEqual([]);
    back.send({ type: 'answer', sdp: 'v=0 answer', to: alice.peerId });
    expect(await alice.next('answer')).toEqual({ type: 'answer', sdp: 'v=0 answer', from: bob.peerId });
  });
});

// The resume buffer is bounded (RESUME_BUFFER_MAX_MESSAGES): the oldest signals are kept, in
// order, and what did not fit is counted.
describe('resume buffer bound', () => {
  let cluster: GatewayCluster;

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, { ...ENV, RESUME_BUFFER_MAX_MESSAGES: '2' });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  async function droppedTotal(): Promise<number> {
    let total = 0;
    for (const node of cluster.nodes) {
      total += (await scrapeMetrics(node.baseUrl)).value('signaling_resume_buffer_dropped_total');
    }
    return total;
  }

  it('delivers the first signals that fit after a resume and counts the rest as dropped', async () => {
    const room = uniqueName('bound');
    const alice = await SignalingClient.join(cluster.wsUrl(0, `room=${room}`));
    const bob = (await SignalingClient.join(cluster.wsUrl(1, `room=${room}`))) as Joined;
    await alice.next('peer-joined');
    const before = await droppedTotal();
    bob.drop();
    await heldInRedis(room, bob.peerId);
    for (let i = 1; i <= 5; i++) alice.send({ type: 'offer', sdp: `v=0 offer ${i}`, to: bob.peerId });
    alice.send({ type: 'ping', t: 1 });
    await alice.next('pong');
    // bob's node hands the offers over asynchronously (one Redis call each); resume once all five
    // are settled, so this checks the bound, not a resume racing the hand-over
    const deadline = Date.now() + 5_000;
    while ((await droppedTotal()) - before < 3) {
      if (Date.now() > deadline) throw new Error(`the offers over the bound were not counted within 5 s (${(await droppedTotal()) - before})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const back = (await SignalingClient.join(cluster.wsUrl(1, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`))) as Joined;
    expect(back.peerId).toBe(bob.peerId);
    expect(await back.next('offer')).toMatchObject({ sdp: 'v=0 offer 1', from: alice.peerId });
    expect(await back.next('offer')).toMatchObject({ sdp: 'v=0 offer 2', from: alice.peerId });
    await back.expectQuiet(500, 'offer');
    expect((await droppedTotal()) - before).toBe(3);
    alice.close();
    back.close();
  });
});
