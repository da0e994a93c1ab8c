import {
  AppProcess,
  createLoopbackOffer,
  createLoopbackPeerConnection,
  onLoopbackIceCandidate,
  ServerFrame,
  SignalingClient,
  startApp,
  uniqueName,
  waitForConnected,
  waitForDataChannelMessage,
  waitForDataChannelOpen,
} from '@sg/testing';
import type { RTCPeerConnection } from 'werift';
import { SessionPipeline } from './support/session-pipeline';

const PROBE_MAX_CONCURRENT = 5;
const PROBE_MAX_SECONDS = 3;

/** Applies the probe's trickled candidates to `pc` as they come, until stopped. */
function applyProbeCandidates(client: SignalingClient, pc: RTCPeerConnection): () => void {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const frame = await client.next('candidate', 15_000).catch(() => null);
      if (!frame || stopped) return;
      expect(frame['from']).toBe('probe');
      const { candidate, sdpMid, sdpMLineIndex } = frame as unknown as { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null };
      if (candidate !== '') await pc.addIceCandidate({ candidate, sdpMid: sdpMid ?? undefined, sdpMLineIndex: sdpMLineIndex ?? undefined });
    }
  })();
  return () => {
    stopped = true;
  };
}

// The node's own WebRTC peer (PROTOCOL section 1, "The probe peer"), probed by werift peers on loopback.
describe('the probe peer', () => {
  let pipeline: SessionPipeline;
  const peers: RTCPeerConnection[] = [];
  const clients: SignalingClient[] = [];
  const stops: Array<() => void> = [];
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    pipeline = await SessionPipeline.start({ gateways: 1 });
  });

  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    for (const client of clients.splice(0)) client.close();
    await Promise.all(peers.splice(0).map((pc) => pc.close()));
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await pipeline.stop();
  });

  it('answers an offer to "probe", connects, echoes the data channel, and its session is a probe with the server view', async () => {
    const room = uniqueName('probe');
    const client = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    clients.push(client);
    const pc = createLoopbackPeerConnection();
    peers.push(pc);
    const channel = pc.createDataChannel('echo');
    stops.push(onLoopbackIceCandidate(pc, (candidate) => client.send({ type: 'candidate', to: 'probe', ...candidate })));

    client.send({ type: 'offer', to: 'probe', sdp: await createLoopbackOffer(pc, { trickle: true }) });
    const answer = await client.next('answer');
    expect(answer['from']).toBe('probe');
    stops.push(applyProbeCandidates(client, pc));
    await pc.setRemoteDescription({ type: 'answer', sdp: answer['sdp'] as string });
    await waitForConnected(pc);
    client.send({ type: 'state', to: 'probe', connectionState: 'connected', iceConnectionState: 'connected' });

    await waitForDataChannelOpen(channel);
    const echoed = waitForDataChannelMessage(channel);
    channel.send('ping 1');
    expect(String(await echoed)).toBe('ping 1');

    const { doc } = await pipeline.waitForSession(room, (session) => session.connection_state === 'connected' && session.events.some((event) => event.by === 'server' && event.type === 'stats'));
    expect(doc).toMatchObject({ kind: 'probe', client_a_id: client.peerId, client_b_id: 'probe', client_b_node: pipeline.cluster.nodeIds[0], failure_reason: null });
    expect(doc.candidate_types_b).toEqual(['host']);
    expect(doc.candidate_pairs).toContain('host/udp -> host/udp');
    expect(doc.rtt_ms).not.toBeNull();
    const serverStates = doc.events.filter((event) => event.by === 'server' && event.type === 'state').map((event) => event.detail);
    expect(serverStates).toContain('connection connected, ice connected, dtls connected');

    client.send({ type: 'bye' });
    const ended = await pipeline.waitForSession(room, (session) => session.connection_state === 'closed');
    expect(ended.doc).toMatchObject({ kind: 'probe', end_reason: 'bye', failure_reason: null });
  });

  it('never shows the probe to other peers: not in welcome, not announced, none of its messages', async () => {
    const room = uniqueName('probe-private');
    const client = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    const other = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    clients.push(client, other);
    await client.next('peer-joined');
    expect(other.welcome['peers']).toEqual([{ peerId: client.peerId }]);
    const pc = createLoopbackPeerConnection();
    peers.push(pc);
    pc.createDataChannel('echo');

    client.send({ type: 'offer', to: 'probe', sdp: await createLoopbackOffer(pc) });
    expect((await client.next('answer'))['from']).toBe('probe');

    await other.expectQuiet(500);
  });

  it('refuses an answer or a candidate with no probe running, naming the probe', async () => {
    const client = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${uniqueName('probe-refusals')}`));
    clients.push(client);

    client.send({ type: 'candidate', to: 'probe', candidate: '', id: 'c-1' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'c-1', message: expect.stringContaining('probe') });
    client.send({ type: 'answer', to: 'probe', sdp: 'v=0', id: 'a-1' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown-peer', ref: 'a-1' });
  });

  it(`holds ${PROBE_MAX_CONCURRENT} probes under a burst of 100 offers, refuses the rest, and closes and counts them all after PROBE_MAX_SECONDS`, async () => {
    const room = uniqueName('probe-burst');
    const template = createLoopbackPeerConnection();
    peers.push(template);
    template.createDataChannel('echo');
    const sdp = await createLoopbackOffer(template);
    // a node of its own, with a small bound and a short life for its probes, and room for the whole burst
    const gateway = await startApp('gateway', {
      NODE_ID: uniqueName('probe-node'),
      REDIS_URL: pipeline.redis.url,
      PROBE_MAX_CONCURRENT: String(PROBE_MAX_CONCURRENT),
      PROBE_MAX_SECONDS: String(PROBE_MAX_SECONDS),
      ROOM_CAPACITY: '200',
      RATE_LIMIT_CONN_PER_10S: '0',
    });
    apps.push(gateway);
    const burst = await Promise.all(Array.from({ length: 100 }, () => SignalingClient.join(`ws://127.0.0.1:${gateway.port}/ws?room=${room}`)));
    clients.push(...burst);
    const before = await pipeline.metrics(gateway);

    for (const client of burst) client.send({ type: 'offer', to: 'probe', sdp });
    const replies = await Promise.all(
      burst.map(async (client): Promise<ServerFrame> => {
        for (;;) {
          const frame = await client.next(undefined, 15_000);
          if (frame.type === 'answer' || frame.type === 'error') return frame;
        }
      }),
    );

    expect(replies.filter((frame) => frame.type === 'answer')).toHaveLength(PROBE_MAX_CONCURRENT);
    const refusals = replies.filter((frame) => frame.type === 'error');
    expect(refusals).toHaveLength(100 - PROBE_MAX_CONCURRENT);
    expect(new Set(refusals.map((frame) => frame['code']))).toEqual(new Set(['probe-unavailable']));
    const during = await pipeline.metrics(gateway);
    expect(during.value('signaling_probes_active')).toBe(PROBE_MAX_CONCURRENT);
    expect(during.value('signaling_probes_total', { outcome: 'unavailable' }) - before.value('signaling_probes_total', { outcome: 'unavailable' })).toBe(100 - PROBE_MAX_CONCURRENT);

    // nobody sends candidates: every probe runs out of time and closes
    let after = during;
    const deadline = Date.now() + PROBE_MAX_SECONDS * 1000 + 10_000;
    while (after.value('signaling_probes_active') !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await pipeline.metrics(gateway);
    }
    expect(after.value('signaling_probes_active')).toBe(0);
    const ended = ['connected', 'failed', 'expired', 'abandoned'].map(
      (outcome) => after.value('signaling_probes_total', { outcome }) - before.value('signaling_probes_total', { outcome }),
    );
    expect(ended.reduce((sum, count) => sum + count, 0)).toBe(PROBE_MAX_CONCURRENT);

    // and a new probe is possible again
    burst[0].send({ type: 'offer', to: 'probe', sdp });
    expect((await burst[0].next('answer'))['from']).toBe('probe');
  });
});
