import { SignJWT } from 'jose';
import { SignalingClient, startApp, uniqueName } from '@sg/testing';
import { SessionPipeline } from './support/session-pipeline';

type Joined = Awaited<ReturnType<typeof SignalingClient.join>>;

// PROTOCOL section 2's deadlines and an indexer that dies mid-stream, with 1 s deadlines (retention: session-retention.int-spec.ts).
describe('session deadlines and indexer restarts through the built apps', () => {
  let pipeline: SessionPipeline;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    pipeline = await SessionPipeline.start({
      gateways: 2,
      indexerEnv: { NEGOTIATION_TIMEOUT_MS: '1000', ICE_TIMEOUT_MS: '1000' },
    });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function pair(room: string): Promise<[Joined, Joined]> {
    const a = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    const b = await SignalingClient.join(pipeline.cluster.wsUrl(1, `room=${room}`));
    clients.push(a, b);
    await a.next('peer-joined');
    return [a, b];
  }

  async function offer(a: Joined, b: Joined): Promise<void> {
    a.send({ type: 'offer', to: b.peerId, sdp: 'v=0 offer' });
    await b.next('offer');
  }

  async function answer(a: Joined, b: Joined): Promise<void> {
    b.send({ type: 'answer', to: a.peerId, sdp: 'v=0 answer' });
    await a.next('answer');
  }

  it('no answer within NEGOTIATION_TIMEOUT_MS: failed / no-answer, though no further event arrives', async () => {
    const room = uniqueName('deadline-no-answer');
    const [a, b] = await pair(room);
    await offer(a, b);
    const offeredAt = Date.now();
    const { doc, seenAt } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed');
    expect(doc).toMatchObject({ failure_reason: 'no-answer', failure_detail: null, time_to_answer_ms: null, duration_ms: 1000 });
    expect(doc.ended_at).toBeCloseTo(doc.created_at + 1, 3);
    expect(doc.events.at(-1)).toMatchObject({ type: 'no-answer', by: 'server' });
    // fired by the indexer's own clock, within the lag promise of the deadline
    expect(seenAt - offeredAt).toBeGreaterThanOrEqual(1_000 - 50);
    expect(seenAt - offeredAt).toBeLessThanOrEqual(1_000 + 2_000);
  });

  it('answered but never connected within ICE_TIMEOUT_MS: failed / ice-timeout', async () => {
    const room = uniqueName('deadline-ice-timeout');
    const [a, b] = await pair(room);
    await offer(a, b);
    await answer(a, b);
    b.send({ type: 'state', to: a.peerId, connectionState: 'connecting', iceConnectionState: 'checking' });
    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed', 5_000);
    expect(doc).toMatchObject({ failure_reason: 'ice-timeout', ice_connection_state: 'checking', time_to_connected_ms: null });
    expect(doc.ended_at).toBeCloseTo(doc.created_at + ((doc.time_to_answer_ms as number) + 1000) / 1000, 3);
  });

  it('an indexer SIGKILLed mid-stream loses nothing: events sent while it is down are indexed after restart, and deadlines fire across it', async () => {
    const [indexer] = pipeline.indexers;
    // a connected call streaming stats, a pending offer whose deadline falls while the indexer is down, and one made while it is down
    const streaming = uniqueName('restart-streaming');
    const [sa, sb] = await pair(streaming);
    await offer(sa, sb);
    await answer(sa, sb);
    sa.send({ type: 'state', to: sb.peerId, connectionState: 'connected' });
    const before = uniqueName('restart-before');
    const [ba, bb] = await pair(before);
    await offer(ba, bb);
    await pipeline.waitForSession(before, (d) => d.connection_state === 'new');

    const total = 300;
    let killed = false;
    for (let i = 1; i <= total; i++) {
      sa.send({ type: 'stats', to: sb.peerId, report: { rttMs: i } });
      if (i === 100) {
        // mid-stream: entries of this call are being read and written right now
        await indexer.stop('SIGKILL');
        killed = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    expect(killed).toBe(true);
    const during = uniqueName('restart-during');
    const [da, db] = await pair(during);
    await offer(da, db);
    // both offers' deadlines pass with no indexer running
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await pipeline.sessionsOfRoom(before))[0]?.connection_state).toBe('new');

    pipeline.indexers.splice(pipeline.indexers.indexOf(indexer), 1);
    const restarted = await pipeline.startIndexer();
    const { doc } = await pipeline.waitForSession(streaming, (d) => d.message_counts['stats'] === total, 10_000);
    expect(doc).toMatchObject({ connection_state: 'connected', rtt_ms: total, message_counts: { offer: 1, answer: 1, state: 1, stats: total } });
    // the timeline keeps the newest 200 events: the last 200 reports, in order
    expect(doc.events.map((e) => e.detail)).toEqual(Array.from({ length: 200 }, (_, i) => `rtt ${total - 199 + i} ms`));
    const missed = await pipeline.waitForSession(before, (d) => d.connection_state === 'failed', 5_000);
    expect(missed.doc).toMatchObject({ failure_reason: 'no-answer', duration_ms: 1000 });
    const late = await pipeline.waitForSession(during, (d) => d.connection_state === 'failed', 5_000);
    expect(late.doc).toMatchObject({ failure_reason: 'no-answer', duration_ms: 1000, message_counts: { offer: 1 } });
    expect((await pipeline.metrics(restarted)).value('indexer_dead_letters_total')).toBe(0);
  });

  it("with token authentication, each side's user is its token's subject", async () => {
    const secret = 'pipeline-test-secret-0123456789abcdef';
    const gateway = await startApp('gateway', { NODE_ID: uniqueName('auth-node'), ...pipeline.redis.env, ENABLE_AUTH: 'true', JWT_SECRET: secret });
    try {
      const token = (sub: string) => new SignJWT({ sub, rooms: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode(secret));
      const room = uniqueName('pipeline-auth');
      const a = await SignalingClient.join(`ws://127.0.0.1:${gateway.port}/ws?room=${room}&token=${await token('user-alice')}`);
      const b = await SignalingClient.join(`ws://127.0.0.1:${gateway.port}/ws?room=${room}`, { headers: { authorization: `Bearer ${await token('user-bob')}` } });
      clients.push(a, b);
      await a.next('peer-joined');
      await offer(a, b);
      const { doc } = await pipeline.waitForSession(room, (d) => d.client_b_user !== null);
      expect(doc).toMatchObject({ client_a_id: a.peerId, client_a_user: 'user-alice', client_b_id: b.peerId, client_b_user: 'user-bob' });
    } finally {
      await gateway.stop();
    }
  });
});
