import { SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { RoomMember } from '@sg/room';
import type { NodeId, PeerId, RoomId, SessionEvent, SignalRelayedEvent, StateReportedEvent } from '@sg/schema';
import { sessionIdFor } from '@sg/session';
import { ROOT_SPAN_MAX_MS, SessionTracing } from './session-tracing';

const ROOM = 'room-1' as RoomId;
const THIS_NODE = 'node-1' as NodeId;
const OTHER_NODE = 'node-2' as NodeId;
const A = 'peer-a' as PeerId;
const B = 'peer-b' as PeerId;
const C = 'peer-c' as PeerId;
const T0 = 1_700_000_000_000;

function member(peerId: PeerId, node: NodeId, joinedAt: number): RoomMember {
  return { peerId, node, user: null, joinedAt };
}

/** Keeps every ended span at once (the SDK's own processors export asynchronously). */
class EndedSpans implements SpanProcessor {
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    this.spans.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function setup(options: { sampled?: boolean } = {}) {
  const ended = new EndedSpans();
  const provider = new TracerProvider({ spanProcessors: [ended], ...(options.sampled === false ? { sampler: new AlwaysOffSampler() } : {}) });
  let now = T0 + 1_000;
  const members = new Map<PeerId, RoomMember>();
  const tracing = new SessionTracing(THIS_NODE, provider.getTracer('test'), { members: () => members }, () => now);
  return {
    tracing,
    members,
    spans: (name?: string): ReadableSpan[] => ended.spans.filter((span) => name === undefined || span.name === name),
    advance: (ms: number) => (now += ms),
    at: () => now,
  };
}

function signal(from: PeerId, to: PeerId, type: SignalRelayedEvent['signal'], t: number, extra: Partial<SignalRelayedEvent> = {}): SignalRelayedEvent {
  return { kind: 'signal', t, room: ROOM, node: THIS_NODE, signal: type, from, to, ...extra };
}

function state(peer: PeerId, to: PeerId, t: number, fields: Partial<StateReportedEvent>): StateReportedEvent {
  return { kind: 'state', t, room: ROOM, node: THIS_NODE, peer, to, ...fields };
}

function joined(peer: PeerId, t: number): SessionEvent {
  return { kind: 'peer-joined', t, room: ROOM, node: THIS_NODE, peer, user: null, remoteAddr: '127.0.0.1:1', userAgent: null };
}

/** The offerer's node: A local, B on another node, as the dispatcher and the sink call it. */
function offerFromA(s: ReturnType<typeof setup>): { trace: string | undefined; offer: SignalRelayedEvent } {
  const traced = s.tracing.relaying(ROOM, A, 'offer', [member(B, OTHER_NODE, T0 + 500)]);
  const offer = signal(A, B, 'offer', s.at(), { iceUfrag: 'ua' });
  s.tracing.recorded(offer);
  return { trace: traced?.trace, offer };
}

describe(SessionTracing.name, () => {
  describe('on the offerer’s node', () => {
    it('starts the session’s root with the first offer, from the later join, and traces the signal under it', () => {
      const s = setup();
      s.tracing.recorded(joined(A, T0));
      const { offer } = offerFromA(s);
      s.tracing.onApplicationShutdown();

      const [root] = s.spans('session');
      expect(root.parentSpanContext).toBeUndefined();
      expect(root.attributes).toMatchObject({ 'signaling.session_id': sessionIdFor(ROOM, A, B), 'signaling.peer_a': A, 'signaling.peer_b': B, 'signaling.node_a': THIS_NODE, 'signaling.node_b': OTHER_NODE });
      // B joined after A: the pair exists from B's join, which B's node traces
      expect(root.startTime).toEqual([Math.floor((T0 + 500) / 1000), ((T0 + 500) % 1000) * 1e6]);
      expect(s.spans('join')).toHaveLength(0);
      const [relayed] = s.spans('signal offer');
      expect(relayed.kind).toBe(SpanKind.PRODUCER);
      expect(relayed.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(relayed.attributes).toMatchObject({ 'signaling.from': A, 'signaling.to': B, 'signaling.ice_ufrag': 'ua' });
      expect(offer.traceparent).toBe(`00-${root.spanContext().traceId}-${root.spanContext().spanId}-01`);
    });

    it('traces the join of the offerer when it made the pair', () => {
      const s = setup();
      s.tracing.recorded(joined(A, T0 + 800));
      offerFromA(s);

      expect(s.spans('join')[0].attributes).toMatchObject({ 'signaling.peer': A, 'signaling.node': THIS_NODE, 'signaling.resumed': false });
    });

    it('puts the root’s context on the node message for a peer on another node only', () => {
      const s = setup();
      const traced = s.tracing.relaying(ROOM, A, 'offer', [member(B, OTHER_NODE, T0), member(C, THIS_NODE, T0)]);

      expect(traced?.trace).toMatch(new RegExp(`^${B}=00-[0-9a-f]{32}-[0-9a-f]{16}-01$`));
      expect(s.tracing.relaying(ROOM, A, 'offer', [member(C, THIS_NODE, T0)])).toBeUndefined();
    });

    it('starts one trace per receiver of a room-wide offer', () => {
      const s = setup();
      const traced = s.tracing.relaying(ROOM, A, 'offer', [member(B, OTHER_NODE, T0), member(C, OTHER_NODE, T0)]);
      const entries = (traced?.trace ?? '').split(',');

      expect(entries.map((entry) => entry.split('=')[0])).toEqual([B, C]);
      expect(new Set(entries.map((entry) => entry.slice(entry.indexOf('=') + 4, entry.indexOf('=') + 36))).size).toBe(2);
    });

    it('continues the trace for later signals of the pair, either way, and starts none without an offer', () => {
      const s = setup();
      expect(s.tracing.relaying(ROOM, A, 'candidate', [member(B, OTHER_NODE, T0)])).toBeUndefined();
      const early = signal(A, B, 'candidate', s.at(), { candidate: '' });
      s.tracing.recorded(early);
      expect(early.traceparent).toBeUndefined();

      const { trace } = offerFromA(s);
      const later = s.tracing.relaying(ROOM, A, 'candidate', [member(B, OTHER_NODE, T0)]);
      expect(later?.trace).toBe(trace);
      const candidate = signal(A, B, 'candidate', s.at(), { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 5000 typ host' });
      s.tracing.recorded(candidate);
      expect(s.spans('signal candidate')[0].attributes['signaling.candidate_type']).toBe('host');
      const report = state(A, B, s.at(), { signalingState: 'stable' });
      s.tracing.recorded(report);
      expect(report.traceparent).toBe(candidate.traceparent);
    });

    it('ends the root with the offerer’s connected report, not the other side’s', () => {
      const s = setup();
      offerFromA(s);
      s.tracing.recorded(state(B, A, s.at() + 100, { connectionState: 'connected' }));
      expect(s.spans('session')).toHaveLength(0);
      s.tracing.recorded(state(A, B, s.at() + 200, { connectionState: 'connected', iceConnectionState: 'connected' }));

      expect(s.spans('session')[0].attributes['signaling.outcome']).toBe('connected');
      expect(s.spans('state connected')).toHaveLength(2);
    });

    it('ends the root as failed on a failed report, and traces no report that only says signaling or gathering', () => {
      const s = setup();
      offerFromA(s);
      s.tracing.recorded(state(A, B, s.at(), { signalingState: 'have-local-offer', iceGatheringState: 'gathering' }));
      s.tracing.recorded(state(A, B, s.at(), { iceConnectionState: 'failed', reason: 'gave up' }));

      expect(s.spans().filter((span) => span.name.startsWith('state')).map((span) => span.name)).toEqual(['state failed']);
      expect(s.spans('session')[0].attributes['signaling.outcome']).toBe('failed');
    });

    it('forgets the sessions of a peer that left, ending an open root', () => {
      const s = setup();
      offerFromA(s);
      s.tracing.recorded({ kind: 'peer-left', t: s.at(), room: ROOM, node: THIS_NODE, peer: B, reason: 'bye' });

      expect(s.spans('session')[0].attributes['signaling.outcome']).toBe('peer-left');
      expect(s.tracing.relaying(ROOM, A, 'candidate', [member(B, OTHER_NODE, T0)])).toBeUndefined();
    });

    it('ends a root without an outcome after ROOT_SPAN_MAX_MS', () => {
      jest.useFakeTimers();
      try {
        const s = setup();
        offerFromA(s);
        s.advance(ROOT_SPAN_MAX_MS);
        jest.advanceTimersByTime(ROOT_SPAN_MAX_MS);

        expect(s.spans('session')[0].attributes['signaling.outcome']).toBe('unsettled');
      } finally {
        jest.useRealTimers();
      }
    });

    it('carries an unsampled trace to the other node, but puts none on the events', () => {
      const s = setup({ sampled: false });
      const { trace, offer } = offerFromA(s);

      expect(trace).toMatch(/-00$/);
      expect(offer.traceparent).toBeUndefined();
      expect(s.spans()).toHaveLength(0);
    });
  });

  describe('on the receiver’s node', () => {
    const ROOT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
    const ROOT_SPAN = '00f067aa0ba902b7';

    function receiveOffer(s: ReturnType<typeof setup>, to: PeerId = B): void {
      s.tracing.received({ room: ROOM, to: [to], frame: '{}', type: 'offer', from: A, sentAt: s.at() - 3, trace: `${to}=00-${ROOT_TRACE}-${ROOT_SPAN}-01` });
    }

    it('continues the offerer’s trace: the delivery, its peer’s join, its answer and reports', () => {
      const s = setup();
      s.members.set(A, member(A, OTHER_NODE, T0));
      s.tracing.recorded(joined(B, T0 + 500));
      receiveOffer(s);
      const traced = s.tracing.relaying(ROOM, B, 'answer', [member(A, OTHER_NODE, T0)]);
      const answer = signal(B, A, 'answer', s.at());
      s.tracing.recorded(answer);

      const [deliver] = s.spans('deliver offer');
      expect(deliver.kind).toBe(SpanKind.CONSUMER);
      expect(deliver.spanContext().traceId).toBe(ROOT_TRACE);
      expect(deliver.parentSpanContext?.spanId).toBe(ROOT_SPAN);
      expect(s.spans('join')[0].parentSpanContext?.spanId).toBe(ROOT_SPAN);
      expect(s.spans('signal answer')[0].parentSpanContext?.spanId).toBe(ROOT_SPAN);
      expect(answer.traceparent).toBe(`00-${ROOT_TRACE}-${ROOT_SPAN}-01`);
      expect(traced?.trace).toBe(`${A}=00-${ROOT_TRACE}-${ROOT_SPAN}-01`);
      expect(s.spans('session')).toHaveLength(0);
    });

    it('ignores entries for peers the message is not for, and traceparents that are not valid', () => {
      const s = setup();
      s.tracing.received({ room: ROOM, to: [B], frame: '{}', type: 'offer', from: A, sentAt: s.at(), trace: `${C}=00-${ROOT_TRACE}-${ROOT_SPAN}-01,${B}=nonsense` });

      expect(s.spans()).toHaveLength(0);
      expect(s.tracing.relaying(ROOM, B, 'answer', [member(A, OTHER_NODE, T0)])).toBeUndefined();
    });

    it('forgets the sessions of a peer whose departure another node announced', () => {
      const s = setup();
      receiveOffer(s);
      s.tracing.received({ room: ROOM, to: [B], frame: '{}', type: 'peer-left', sentAt: s.at(), left: A });

      expect(s.tracing.relaying(ROOM, B, 'answer', [member(A, OTHER_NODE, T0)])).toBeUndefined();
    });
  });
});
