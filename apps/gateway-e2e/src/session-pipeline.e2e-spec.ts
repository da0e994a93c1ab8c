import type { SessionDocument } from '@sg/schema';
import {
  createLoopbackAnswer,
  createLoopbackOffer,
  createLoopbackPeerConnection,
  onLoopbackIceCandidate,
  SignalingClient,
  startApp,
  uniqueName,
  waitForConnected,
} from '@sg/testing';
import type { RTCPeerConnection } from 'werift';
import { E2E_REDIS_KEYS } from './support/redis-keys';
import { SessionPipeline } from './support/session-pipeline';

type Joined = Awaited<ReturnType<typeof SignalingClient.join>>;

/** What a browser client reports: its RTCPeerConnection states on every change, with `to`. */
function reportStates(client: SignalingClient, pc: RTCPeerConnection, to: string): { sent: () => number; stop: () => void } {
  let sent = 0;
  const report = () => {
    if (client.ws.readyState !== client.ws.OPEN) return;
    sent += 1;
    client.send({ type: 'state', to, connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, signalingState: pc.signalingState, iceGatheringState: pc.iceGatheringState });
  };
  const subscriptions = [pc.connectionStateChange, pc.iceConnectionStateChange, pc.signalingStateChange, pc.iceGatheringStateChange].map((event) => event.subscribe(report));
  return { sent: () => sent, stop: () => subscriptions.forEach((s) => s.unSubscribe()) };
}

/** A getStats() summary as a browser client would send it: the selected pair's types and RTT. */
async function statsSummary(pc: RTCPeerConnection): Promise<Record<string, string | number>> {
  const stats = [...(await pc.getStats()).values()] as unknown as Array<Record<string, unknown>>;
  const pair = stats.find((s) => s['type'] === 'candidate-pair' && s['state'] === 'succeeded' && s['nominated']) ?? stats.find((s) => s['type'] === 'candidate-pair' && s['state'] === 'succeeded');
  if (!pair) throw new Error(`no succeeded candidate pair in ${JSON.stringify(stats).slice(0, 1_000)}`);
  const local = stats.find((s) => s['id'] === pair['localCandidateId']);
  const remote = stats.find((s) => s['id'] === pair['remoteCandidateId']);
  const summary: Record<string, string | number> = { localCandidateType: String(local?.['candidateType']), remoteCandidateType: String(remote?.['candidateType']), protocol: String(local?.['protocol'] ?? 'udp') };
  if (typeof pair['currentRoundTripTime'] === 'number') summary['rttMs'] = Math.round(pair['currentRoundTripTime'] * 1000 * 100) / 100;
  return summary;
}

/** Relays local candidates through the gateway, counting what was sent (`''` included). */
function trickleThrough(client: SignalingClient, pc: RTCPeerConnection, to: string, counter: { candidates: number }): () => void {
  return onLoopbackIceCandidate(pc, (candidate) => {
    counter.candidates += 1;
    client.send({ type: 'candidate', to, ...candidate });
  });
}

function applyRelayedCandidates(client: SignalingClient, pc: RTCPeerConnection): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const frame = await client.next('candidate', 15_000).catch(() => null);
      if (!frame || stopped) return;
      const { candidate, sdpMid, sdpMLineIndex } = frame as unknown as { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null };
      if (candidate !== '') await pc.addIceCandidate({ candidate, sdpMid: sdpMid ?? undefined, sdpMLineIndex: sdpMLineIndex ?? undefined });
    }
  })();
  return () => {
    stopped = true;
  };
}

const ADDRESS = /^127\.0\.0\.1:\d+$/;
const GATEWAY_ENV = { NODE_TTL_MS: '1000', NODE_HEARTBEAT_INTERVAL_MS: '250', RESUME_WINDOW_MS: '500' };

// PROTOCOL section 2 end to end: gateway nodes -> Redis streams -> indexer -> SQLite, with long deadlines.
describe('session documents through the built apps', () => {
  let pipeline: SessionPipeline;
  const clients: SignalingClient[] = [];
  const cleanups: Array<() => unknown> = [];

  beforeAll(async () => {
    // a dead node is noticed within a second, and its peers are given up on after a short resume window
    pipeline = await SessionPipeline.start({ gateways: 2, gatewayEnv: GATEWAY_ENV });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  async function pair(room: string, nodes: [string, string] = [pipeline.cluster.wsUrl(0, `room=${room}`), pipeline.cluster.wsUrl(1, `room=${room}`)]): Promise<[Joined, Joined]> {
    const a = await SignalingClient.join(nodes[0], { headers: { 'user-agent': 'pipeline-test-a/1.0' } });
    clients.push(a);
    const b = await SignalingClient.join(nodes[1], { headers: { 'user-agent': 'pipeline-test-b/1.0' } });
    clients.push(b);
    await a.next('peer-joined');
    return [a, b];
  }

  async function offerAndAnswer(a: Joined, b: Joined): Promise<void> {
    a.send({ type: 'offer', to: b.peerId, sdp: 'v=0 offer' });
    await b.next('offer');
    b.send({ type: 'answer', to: a.peerId, sdp: 'v=0 answer' });
    await a.next('answer');
  }

  it('a complete call between two werift peers on two nodes becomes one document with both sides, searchable within 2 s', async () => {
    const room = uniqueName('pipeline-call');
    const [alice, bob] = await pair(room);
    // alice reports have-local-offer before her offer is sent, as a browser does: counted once bob's admission is read
    await pipeline.waitForAdmissionsIndexed(room, [alice.peerId, bob.peerId]);
    const offerer = createLoopbackPeerConnection();
    const answerer = createLoopbackPeerConnection();
    cleanups.push(() => offerer.close(), () => answerer.close());
    offerer.createDataChannel('chat');
    const counts = { a: { candidates: 0 }, b: { candidates: 0 } };
    const states = [reportStates(alice, offerer, bob.peerId), reportStates(bob, answerer, alice.peerId)];
    cleanups.push(...states.map((s) => s.stop));
    cleanups.push(trickleThrough(alice, offerer, bob.peerId, counts.a), trickleThrough(bob, answerer, alice.peerId, counts.b));
    cleanups.push(applyRelayedCandidates(alice, offerer), applyRelayedCandidates(bob, answerer));

    alice.send({ type: 'offer', to: bob.peerId, sdp: await createLoopbackOffer(offerer, { trickle: true }) });
    const offer = await bob.next('offer');
    bob.send({ type: 'answer', to: alice.peerId, sdp: await createLoopbackAnswer(answerer, offer['sdp'] as string, { trickle: true }) });
    const answer = await alice.next('answer');
    await offerer.setRemoteDescription({ type: 'answer', sdp: answer['sdp'] as string });
    await Promise.all([waitForConnected(offerer), waitForConnected(answerer)]);
    alice.send({ type: 'stats', to: bob.peerId, report: await statsSummary(offerer) });
    bob.send({ type: 'stats', to: alice.peerId, report: await statsSummary(answerer) });

    const connected = await pipeline.waitForSession(room, (d) => d.connection_state === 'connected' && d.message_counts['stats'] === 2);
    expect(connected.doc.ended_at).toBeNull();

    // hang up as a browser does: close the connection (its `closed` is not reported by werift), then bye
    for (const s of states) s.stop();
    const sentStates = states.map((s) => s.sent());
    alice.send({ type: 'bye' });
    const byeAt = Date.now();
    await alice.closed;
    // both nodes' last events, not only the bye: the document is complete, not just closed
    const complete = (d: SessionDocument) =>
      d.connection_state === 'closed' && d.message_counts['state'] === sentStates[0] + sentStates[1] && d.message_counts['candidate'] === counts.a.candidates + counts.b.candidates;
    const { doc, seenAt } = await pipeline.waitForSession(room, complete);
    expect(seenAt - byeAt).toBeLessThanOrEqual(2_000);
    expect(doc.updated_at * 1000).toBeGreaterThanOrEqual(byeAt - 50);

    expect(doc).toMatchObject({
      room_id: room,
      client_a_id: alice.peerId,
      client_b_id: bob.peerId,
      client_a_user: null,
      client_b_user: null,
      client_a_user_agent: 'pipeline-test-a/1.0',
      client_b_user_agent: 'pipeline-test-b/1.0',
      client_a_node: pipeline.cluster.nodeIds[0],
      client_b_node: pipeline.cluster.nodeIds[1],
      candidate_types_a: ['host'],
      candidate_types_b: ['host'],
      failure_reason: null,
      failure_detail: null,
      relay_used: false,
      ice_restarts: 0,
      ice_connection_state: expect.stringMatching(/^(connected|completed)$/),
      signaling_state: 'stable',
    });
    // each side reports its selected pair; a remote candidate that a connectivity check found before
    // its trickled line arrived is peer-reflexive, so on loopback the remote side is host or prflx
    expect(doc.candidate_pairs.length).toBeGreaterThanOrEqual(1);
    for (const pair of doc.candidate_pairs) expect(pair).toMatch(/^host\/udp -> (host|prflx)\/udp$/);
    expect(doc.client_a_remote_addr).toMatch(ADDRESS);
    expect(doc.client_b_remote_addr).toMatch(ADDRESS);
    expect(doc.client_a_remote_addr).not.toBe(doc.client_b_remote_addr);
    expect(doc.time_to_answer_ms).toBeGreaterThan(0);
    // the answerer's ICE may connect before its answer reaches the offerer: no order between the two
    expect(doc.time_to_connected_ms).toBeGreaterThan(0);
    expect(doc.duration_ms).toBeGreaterThanOrEqual(doc.time_to_connected_ms as number);
    expect(doc.ended_at).toBeCloseTo(doc.created_at + (doc.duration_ms as number) / 1000, 3);
    expect(doc.message_counts).toEqual({
      offer: 1,
      answer: 1,
      candidate: counts.a.candidates + counts.b.candidates,
      state: sentStates[0] + sentStates[1],
      stats: 2,
    });
    const types = doc.events.map((e) => `${e.type}/${e.by}`);
    // the timeline may open with alice's have-local-offer report; the first signal is her offer
    expect(types.find((t) => !t.startsWith('state/'))).toBe('offer/a');
    expect(types).toContain('answer/b');
    expect(types).toContain('candidate/a');
    expect(types).toContain('candidate/b');
    expect(types).toContain('stats/b');
    expect(types.at(-1)).toBe('peer-left/a');
    expect(doc.events.at(-1)?.detail).toBe('bye');
    expect(doc.events.find((e) => e.type === 'candidate' && e.by === 'a')?.detail).toBe('host udp');
    const times = doc.events.map((e) => e.t);
    expect([...times].sort((x, y) => x - y)).toEqual(times);
  });

  it('answered, then a side reports ICE failed: failed / ice-failed', async () => {
    const room = uniqueName('pipeline-ice-failed');
    const [a, b] = await pair(room);
    await offerAndAnswer(a, b);
    b.send({ type: 'state', to: a.peerId, connectionState: 'failed', iceConnectionState: 'failed' });
    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed');
    expect(doc).toMatchObject({ failure_reason: 'ice-failed', failure_detail: null, ice_connection_state: 'failed', time_to_connected_ms: null });
  });

  it('a side that gives up says why: failed / client-reported with the reason in failure_detail', async () => {
    const room = uniqueName('pipeline-client-reported');
    const [a, b] = await pair(room);
    await offerAndAnswer(a, b);
    a.send({ type: 'state', to: b.peerId, connectionState: 'closed', reason: 'camera permission denied' });
    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed');
    expect(doc).toMatchObject({ failure_reason: 'client-reported', failure_detail: 'camera permission denied' });
    expect(doc.events.at(-1)).toMatchObject({ type: 'state', by: 'a', detail: expect.stringContaining('reason: camera permission denied') });
  });

  it('the answerer leaves before connecting: failed / peer-left-before-connected', async () => {
    const room = uniqueName('pipeline-left');
    const [a, b] = await pair(room);
    a.send({ type: 'offer', to: b.peerId, sdp: 'v=0 offer' });
    await b.next('offer');
    b.close();
    expect(await a.next('peer-left')).toMatchObject({ peerId: b.peerId, reason: 'disconnected' });
    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed');
    expect(doc).toMatchObject({ failure_reason: 'peer-left-before-connected', failure_detail: 'B left (disconnected)', time_to_answer_ms: null });
  });

  it("a side's gateway node is SIGKILLed before connecting: failed / node-lost", async () => {
    const doomedId = uniqueName('doomed-node');
    const doomed = await startApp('gateway', { NODE_ID: doomedId, ...pipeline.redis.env, ...GATEWAY_ENV });
    cleanups.push(() => doomed.stop('SIGKILL'));
    const room = uniqueName('pipeline-node-lost');
    const [a, b] = await pair(room, [pipeline.cluster.wsUrl(0, `room=${room}`), `ws://127.0.0.1:${doomed.port}/ws?room=${room}`]);
    await offerAndAnswer(a, b);
    // the doomed node's events are written before it dies (it flushes every 100 ms)
    await pipeline.waitForSession(room, (d) => d.connection_state === 'connecting' && d.client_b_node === doomedId);
    await doomed.stop('SIGKILL');
    expect(await a.next('peer-left', 10_000)).toMatchObject({ peerId: b.peerId, reason: 'node-lost' });
    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'failed');
    expect(doc).toMatchObject({ failure_reason: 'node-lost', failure_detail: 'B left (node-lost)', client_b_node: doomedId });
    expect(doc.events.at(-1)).toMatchObject({ type: 'peer-left', by: 'b', detail: 'node-lost' });
  });

  it('two indexers share the shards, and concurrent calls give one document each with no update lost', async () => {
    const second = await pipeline.startIndexer();
    const redis = pipeline.redisClient();
    cleanups.push(() => redis.quit());
    const holders = async () => Promise.all(Array.from({ length: 16 }, (_, shard) => redis.get(E2E_REDIS_KEYS.indexerShardLease(shard))));
    const deadline = Date.now() + 10_000;
    let owners: Array<string | null> = [];
    for (;;) {
      owners = await holders();
      const counts = new Map<string, number>();
      for (const owner of owners) if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      if (counts.size === 2 && [...counts.values()].every((n) => n === 8)) break;
      if (Date.now() > deadline) throw new Error(`shards not shared 8/8 within 10 s: ${JSON.stringify(owners)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const consumedTotal = async () => Promise.all(pipeline.indexers.map(async (indexer) => (await pipeline.metrics(indexer)).value('indexer_events_consumed_total')));
    const before = await consumedTotal();
    const rooms = Array.from({ length: 24 }, (_, i) => uniqueName(`pipeline-shared-${i}`));
    await Promise.all(
      rooms.map(async (room) => {
        const [a, b] = await pair(room);
        await offerAndAnswer(a, b);
        for (let i = 1; i <= 5; i++) a.send({ type: 'stats', to: b.peerId, report: { rttMs: i } });
        a.send({ type: 'state', to: b.peerId, connectionState: 'connected' });
        b.send({ type: 'state', to: a.peerId, connectionState: 'connected' });
        a.send({ type: 'bye' });
        await a.closed;
      }),
    );
    for (const room of rooms) {
      // the two nodes flush independently: B's answer and state may be indexed after A's bye closed
      // the session, so wait for both sides; a lost update would never arrive and time out here
      const { doc } = await pipeline.waitForSession(room, (d: SessionDocument) => d.connection_state === 'closed' && d.message_counts['answer'] === 1 && d.message_counts['state'] === 2);
      expect(doc.message_counts).toEqual({ offer: 1, answer: 1, stats: 5, state: 2 });
      expect(doc.rtt_ms).toBe(5);
    }
    // each indexer folded some of these calls' events: the load is shared, not failed over
    const after = await consumedTotal();
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
    await second.stop();
  });
});
