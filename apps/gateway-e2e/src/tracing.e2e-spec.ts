import type { SessionDocument } from '@sg/schema';
import { OTLP_SPAN_KIND, OtlpReceiver, ReceivedSpan, SignalingClient, uniqueName } from '@sg/testing';
import { SessionPipeline } from './support/session-pipeline';

type Joined = Awaited<ReturnType<typeof SignalingClient.join>>;

const HOST_CANDIDATE = 'candidate:1 1 udp 2122260223 192.0.2.10 50000 typ host';
const SRFLX_CANDIDATE = 'candidate:2 1 udp 1686052607 203.0.113.4 40000 typ srflx raddr 0.0.0.0 rport 0';

function sdp(ufrag: string): string {
  return `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:${ufrag}\r\na=ice-pwd:0123456789012345678901\r\n`;
}

/** The spans of one trace, and the one named `name` that matches `where`, or a failure listing what the trace has. */
function only(spans: readonly ReceivedSpan[], name: string, where: (span: ReceivedSpan) => boolean = () => true): ReceivedSpan {
  const found = spans.filter((span) => span.name === name && where(span));
  if (found.length !== 1) throw new Error(`expected one "${name}" span, found ${found.length} among ${spans.map((s) => `${s.instance}:${s.name}`).join(', ')}`);
  return found[0];
}

// docs/operations.md, "Tracing": one trace per session, across both gateway nodes and into the indexer's writes
describe('OpenTelemetry traces through the built apps', () => {
  let receiver: OtlpReceiver;
  let pipeline: SessionPipeline;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    // JSON, which the receiver decodes; spans exported every 100 ms instead of 5 s
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    pipeline = await SessionPipeline.start({ gateways: 2, gatewayEnv: tracing, indexerEnv: { ...tracing, NEGOTIATION_TIMEOUT_MS: '2000' } });
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await pipeline.stop();
    await receiver.stop();
  });

  /** A on node 1, then B on node 2: B's join is the one that makes the pair. */
  async function pair(room: string): Promise<[Joined, Joined]> {
    const a = await SignalingClient.join(pipeline.cluster.wsUrl(0, `room=${room}`));
    clients.push(a);
    const b = await SignalingClient.join(pipeline.cluster.wsUrl(1, `room=${room}`));
    clients.push(b);
    await a.next('peer-joined');
    return [a, b];
  }

  it('follows a negotiation from the join through offer, answer, candidates and connected, on both nodes, into the document', async () => {
    const room = uniqueName('traced');
    const [a, b] = await pair(room);
    const [nodeA, nodeB] = pipeline.cluster.nodeIds;

    a.send({ type: 'offer', to: b.peerId, sdp: sdp('ufrag-a') });
    await b.next('offer');
    b.send({ type: 'answer', to: a.peerId, sdp: sdp('ufrag-b') });
    await a.next('answer');
    a.send({ type: 'candidate', to: b.peerId, candidate: HOST_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 });
    b.send({ type: 'candidate', to: a.peerId, candidate: SRFLX_CANDIDATE, sdpMid: '0', sdpMLineIndex: 0 });
    a.send({ type: 'candidate', to: b.peerId, candidate: '' });
    await b.next('candidate');
    await a.next('candidate');
    await b.next('candidate');
    a.send({ type: 'state', to: b.peerId, connectionState: 'connected', iceConnectionState: 'connected' });
    b.send({ type: 'state', to: a.peerId, connectionState: 'connected', iceConnectionState: 'connected' });

    const { doc } = await pipeline.waitForSession(room, (d) => d.connection_state === 'connected' && d.trace_id !== null);
    const traceId = doc.trace_id as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const isConnectedWrite = (span: ReceivedSpan) => span.name === 'index session' && span.traceId === traceId && span.attributes['signaling.connection_state'] === 'connected';
    const inTrace = (spans: readonly ReceivedSpan[]) => spans.filter((span) => span.traceId === traceId);
    const spans = inTrace(
      await receiver.waitFor((all) => {
        const traced = inTrace(all);
        return traced.some((span) => span.name === 'session') && traced.some(isConnectedWrite) && traced.filter((span) => span.name === 'state connected').length === 2;
      }),
    );

    // one root, started by the offerer's node, ended by its peer's connected report
    const root = only(spans, 'session');
    expect(root).toMatchObject({ service: 'gateway', instance: nodeA, kind: OTLP_SPAN_KIND.internal });
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toEqual({
      'signaling.session_id': doc.session_id,
      'signaling.room': room,
      'signaling.peer_a': a.peerId,
      'signaling.peer_b': b.peerId,
      'signaling.node_a': nodeA,
      'signaling.node_b': nodeB,
      'signaling.outcome': 'connected',
    });
    // every other span, on either node or the indexer, is its child: the context crossed the bus and the event stream
    for (const span of spans.filter((s) => s !== root)) expect({ name: span.name, parent: span.parentSpanId }).toEqual({ name: span.name, parent: root.spanId });

    // B's join made the pair; A's, earlier, belongs to no session of its own
    const join = only(spans, 'join');
    expect(join).toMatchObject({ instance: nodeB, kind: OTLP_SPAN_KIND.server, attributes: { 'signaling.peer': b.peerId, 'signaling.node': nodeB, 'signaling.resumed': false } });
    expect(join.startMs).toBeGreaterThanOrEqual(root.startMs);

    // each signal on its sender's node, and delivered on the other
    expect(only(spans, 'signal offer')).toMatchObject({ instance: nodeA, kind: OTLP_SPAN_KIND.producer, attributes: { 'signaling.from': a.peerId, 'signaling.to': b.peerId, 'signaling.ice_ufrag': 'ufrag-a' } });
    expect(only(spans, 'deliver offer')).toMatchObject({ instance: nodeB, kind: OTLP_SPAN_KIND.consumer, attributes: { 'signaling.from': a.peerId, 'signaling.to': b.peerId } });
    expect(only(spans, 'signal answer')).toMatchObject({ instance: nodeB, kind: OTLP_SPAN_KIND.producer, attributes: { 'signaling.from': b.peerId, 'signaling.ice_ufrag': 'ufrag-b' } });
    expect(only(spans, 'deliver answer')).toMatchObject({ instance: nodeA, kind: OTLP_SPAN_KIND.consumer });
    const candidates = spans.filter((span) => span.name === 'signal candidate').map((span) => `${span.instance === nodeA ? 'a' : 'b'}:${span.attributes['signaling.candidate_type']}`);
    expect(candidates.sort()).toEqual(['a:end-of-candidates', 'a:host', 'b:srflx']);
    expect(spans.filter((span) => span.name === 'deliver candidate')).toHaveLength(3);
    expect(only(spans, 'state connected', (s) => s.instance === nodeA).attributes).toMatchObject({ 'signaling.peer': a.peerId, 'signaling.connection_state': 'connected' });
    expect(only(spans, 'state connected', (s) => s.instance === nodeB).attributes).toMatchObject({ 'signaling.peer': b.peerId });

    // the indexer's writes of the session, in its trace, the last one of the connected document
    const write = spans.find(isConnectedWrite) as ReceivedSpan;
    expect(write).toMatchObject({ service: 'diagnostics-indexer', kind: OTLP_SPAN_KIND.consumer, attributes: { 'signaling.session_id': doc.session_id } });
    expect(write.instance).toMatch(/^indexer/);
    expect(spans.filter((span) => span.service === 'diagnostics-indexer').every((span) => span.name === 'index session')).toBe(true);
  });

  it('a session the indexer fails by its deadline (no answer) is in the offer’s trace', async () => {
    const room = uniqueName('traced-unanswered');
    const [a, b] = await pair(room);
    a.send({ type: 'offer', to: b.peerId, sdp: sdp('ufrag-a') });
    await b.next('offer');

    const { doc } = await pipeline.waitForSession(room, (d: SessionDocument) => d.failure_reason === 'no-answer', 15_000);
    const traceId = doc.trace_id as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await receiver.waitFor((all) =>
      all.some((span) => span.traceId === traceId && span.name === 'index session' && span.attributes['signaling.failure_reason'] === 'no-answer') && all.some((span) => span.traceId === traceId && span.name === 'signal offer'),
    );
    const offer = only(spans, 'signal offer', (span) => span.traceId === traceId);
    const failedWrite = spans.find((span) => span.traceId === traceId && span.attributes['signaling.failure_reason'] === 'no-answer') as ReceivedSpan;
    // the root is still open (it ends with an outcome or after a minute); both hang from it
    expect(failedWrite.parentSpanId).toBe(offer.parentSpanId);
    expect(failedWrite.attributes['signaling.connection_state']).toBe('failed');
  });
});
