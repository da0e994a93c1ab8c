import Redis from 'ioredis';
import { SignalingClient, uniqueName } from '@sg/testing';
import { sessionEventStreams } from './support/redis-keys';
import { GatewayCluster, startGatewayCluster } from './support/gateway-cluster';

const RESUME_WINDOW_MS = 3_000;
const DRAIN_TIMEOUT_MS = 4_000;

type Joined = SignalingClient & { peerId: string; welcome: Record<string, unknown> };

// PROTOCOL section 4, SIGTERM: stop admitting, 1001 for every client, resumable elsewhere, exit 0.
describe('drain on SIGTERM', () => {
  let cluster: GatewayCluster;
  let redis: Redis;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    cluster = await startGatewayCluster(2, {
      RESUME_WINDOW_MS: String(RESUME_WINDOW_MS),
      DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
      NODE_HEARTBEAT_INTERVAL_MS: '250',
      NODE_TTL_MS: '1000',
      // events wait up to a second in a node: only the drain's flush writes the last ones in time
      SESSION_EVENTS_FLUSH_MS: '1000',
    });
    redis = new Redis(process.env['TEST_REDIS_URL'] as string);
  });

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await cluster.stop();
    await redis.quit();
  });

  async function join(node: number, query: string): Promise<Joined> {
    const client = (await SignalingClient.join(cluster.wsUrl(node, query))) as Joined;
    clients.push(client);
    return client;
  }

  it('closes its clients with 1001 during a negotiation; they resume on the other node and finish it, and the node exits 0', async () => {
    const [room, quietRoom] = [uniqueName('drain'), uniqueName('drain-quiet')];
    const alice = await join(0, `room=${room}`);
    const bob = await join(1, `room=${room}`);
    const carol = await join(0, `room=${quietRoom}`);
    const dave = await join(1, `room=${quietRoom}`);
    await Promise.all([alice.next('peer-joined'), carol.next('peer-joined')]);
    const seenBefore = alice.frames.length;
    alice.send({ type: 'offer', sdp: 'v=0 offer', to: bob.peerId });
    expect(await bob.next('offer')).toEqual({ type: 'offer', sdp: 'v=0 offer', from: alice.peerId });
    bob.send({ type: 'state', to: alice.peerId, signalingState: 'have-remote-offer' });
    bob.send({ type: 'ping' });
    await bob.next('pong');

    const exited = cluster.nodes[1].stop('SIGTERM');
    expect((await bob.closed).code).toBe(1001);
    // still draining (Dave's close is spread later): no new peer, not ready
    const refused = await SignalingClient.connect(cluster.wsUrl(1, `room=${uniqueName('late')}`));
    expect((await refused.closed).code).toBe(1001);
    expect((await fetch(`${cluster.nodes[1].baseUrl}/readyz`)).status).toBe(503);
    // a candidate sent while Bob is away waits for him
    alice.send({ type: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', to: bob.peerId });
    const back = await join(0, `room=${room}&resume=${String(bob.welcome['resumeToken'])}`);

    expect(back.peerId).toBe(bob.peerId);
    expect(await back.next('candidate')).toMatchObject({ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', from: alice.peerId });
    back.send({ type: 'answer', sdp: 'v=0 answer', to: alice.peerId });
    expect(await alice.next('answer')).toEqual({ type: 'answer', sdp: 'v=0 answer', from: bob.peerId });
    expect((await dave.closed).code).toBe(1001);
    expect(await exited).toBe(0);
    // Dave never resumes: the survivor times him out once his window is over
    expect(await carol.next('peer-left', RESUME_WINDOW_MS + 5_000)).toEqual({ type: 'peer-left', peerId: dave.peerId, reason: 'timeout' });
    expect(alice.frames.slice(seenBefore).filter((frame) => frame.type === 'peer-left' || frame.type === 'peer-joined')).toEqual([]);
    // the draining node flushed its events; the survivor recorded the resume
    const events = await sessionEvents(room);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'signal', signal: 'offer', from: alice.peerId, to: bob.peerId, node: cluster.nodeIds[0] }),
        expect.objectContaining({ kind: 'state', peer: bob.peerId, signalingState: 'have-remote-offer', node: cluster.nodeIds[1] }),
        expect.objectContaining({ kind: 'peer-resumed', peer: bob.peerId, previousNode: cluster.nodeIds[1], node: cluster.nodeIds[0] }),
        expect.objectContaining({ kind: 'signal', signal: 'answer', from: bob.peerId, to: alice.peerId, node: cluster.nodeIds[0] }),
      ]),
    );
    expect(events.filter((event) => event['kind'] === 'peer-left')).toEqual([]);
  });

  /** Every session event of a room in the streams, waiting for the survivor's next flush. */
  async function sessionEvents(room: string): Promise<Array<Record<string, unknown>>> {
    for (let attempt = 0; ; attempt++) {
      const found: Array<Record<string, unknown>> = [];
      for (const stream of sessionEventStreams()) {
        for (const [, fields] of await redis.xrange(stream, '-', '+')) {
          const batch = JSON.parse(fields[fields.indexOf('b') + 1]) as Array<Record<string, unknown>>;
          found.push(...batch.filter((event) => event['room'] === room));
        }
      }
      if (found.some((event) => event['signal'] === 'answer') || attempt >= 100) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});
