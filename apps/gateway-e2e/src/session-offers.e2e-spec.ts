import { SignalingClient, uniqueName } from '@sg/testing';
import { SessionPipeline } from './support/session-pipeline';

/** An SDP with only what the gateway reads of it: its ICE username fragment. */
const sdp = (ufrag: string) => `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:passwordpasswordpassword\r\n`;

// PROTOCOL section 2: a later offer of a pair is an ICE restart when its ICE credentials
// (a=ice-ufrag) are new, else a renegotiation; the gateway records them with each offer and answer.
describe('ICE restarts and renegotiations through the built apps', () => {
  let pipeline: SessionPipeline;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    pipeline = await SessionPipeline.start({ gateways: 2 });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it('tells renegotiations from ICE restarts by the credentials of offers and answers, either way', async () => {
    const room = uniqueName('offers');
    const a = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    clients.push(a);
    const b = await SignalingClient.join(pipeline.cluster.wsUrl(1, `room=${room}`));
    clients.push(b);
    await a.next('peer-joined');

    a.send({ type: 'offer', to: b.peerId, sdp: sdp('ua1') });
    await b.next('offer');
    b.send({ type: 'answer', to: a.peerId, sdp: sdp('ub1') });
    await a.next('answer');
    a.send({ type: 'state', to: b.peerId, connectionState: 'connected' });
    // A adds a track, then B does (its offer keeps the credentials of its answer), then A restarts ICE
    for (const [from, to, ufrag] of [[a, b, 'ua1'], [b, a, 'ub1'], [a, b, 'ua2']] as const) {
      from.send({ type: 'offer', to: to.peerId, sdp: sdp(ufrag) });
      await to.next('offer');
    }

    const { doc } = await pipeline.waitForSession(room, (d) => d.message_counts['offer'] === 4);
    expect(doc).toMatchObject({ kind: 'call', client_a_id: a.peerId, renegotiations: 2, ice_restarts: 1, connection_state: 'connected', end_reason: null, trace_id: null });
    const offers = doc.events.filter((event) => event.type === 'offer').map((event) => `${event.by} ${event.detail ?? 'first'}`);
    // times are milliseconds from two nodes: B's offer and A's restart right after it may share one,
    // and a tie is ordered by the timeline's rule, not by which came first, so only the first is fixed
    expect(offers[0]).toBe('a first');
    expect(offers.slice(1).sort()).toEqual(['a ice restart', 'a renegotiation', 'b renegotiation']);

    a.send({ type: 'bye' });
    const closed = await pipeline.waitForSession(room, (d) => d.connection_state === 'closed');
    expect(closed.doc).toMatchObject({ end_reason: 'bye', failure_reason: null });
  });
});
