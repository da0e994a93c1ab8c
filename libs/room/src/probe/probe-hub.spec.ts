import type { NodeId, PeerId, RoomId, SessionEvent } from '@sg/schema';
import { SessionEventSink } from '../ports/session-event-sink';
import { ProbeClient, ProbeHub, ProbeHubOptions, ProbeObserver, ProbeOutcome } from './probe-hub';
import { ProbeIceCandidate, ProbePeer, ProbePeerFactory, ProbePeerListener, ProbePeerOptions, ProbePeerState, ProbeSelectedPair } from './probe-peer';

const ROOM = 'room-1' as RoomId;
const NODE = 'gw-1' as NodeId;

class RecordingSink extends SessionEventSink {
  readonly events: SessionEvent[] = [];
  record(event: SessionEvent): void {
    this.events.push(event);
  }
  async close(): Promise<void> {}
}

/** A probe peer whose answers and states the test decides. */
class FakePeer implements ProbePeer {
  readonly calls: string[] = [];
  closed = false;
  pair: ProbeSelectedPair | null = null;
  answerError: Error | null = null;
  private releaseAnswer: (() => void) | null = null;
  holdAnswers = false;

  constructor(
    readonly options: ProbePeerOptions,
    readonly listener: ProbePeerListener,
  ) {}

  async answer(offerSdp: string): Promise<string> {
    this.calls.push(`answer ${offerSdp}`);
    if (this.holdAnswers) await new Promise<void>((resolve) => (this.releaseAnswer = resolve));
    if (this.answerError) throw this.answerError;
    return `answer-to ${offerSdp}`;
  }

  async addCandidate(candidate: ProbeIceCandidate): Promise<void> {
    this.calls.push(`candidate ${candidate.candidate}`);
  }

  selectedPair(): ProbeSelectedPair | null {
    return this.pair;
  }

  close(): void {
    this.closed = true;
  }

  release(): void {
    this.releaseAnswer?.();
  }

  state(state: ProbePeerState): void {
    this.listener.state(state);
  }
}

class FakeFactory extends ProbePeerFactory {
  readonly peers: FakePeer[] = [];
  holdAnswers = false;
  create(options: ProbePeerOptions, listener: ProbePeerListener): ProbePeer {
    const peer = new FakePeer(options, listener);
    peer.holdAnswers = this.holdAnswers;
    this.peers.push(peer);
    return peer;
  }
}

class CountingObserver implements ProbeObserver {
  refusals = 0;
  starts = 0;
  readonly connectSeconds: number[] = [];
  readonly outcomes: ProbeOutcome[] = [];
  refused(): void {
    this.refusals++;
  }
  started(): void {
    this.starts++;
  }
  connected(seconds: number): void {
    this.connectSeconds.push(seconds);
  }
  ended(outcome: ProbeOutcome): void {
    this.outcomes.push(outcome);
  }
}

class FakeClient implements ProbeClient {
  readonly room = ROOM;
  readonly frames: Record<string, unknown>[] = [];
  constructor(readonly peerId: PeerId) {}
  send(frame: string): void {
    this.frames.push(JSON.parse(frame) as Record<string, unknown>);
  }
}

const CONNECTED: ProbePeerState = { iceConnectionState: 'connected', connectionState: 'connected' };

function setUp(options: Partial<ProbeHubOptions> = {}) {
  const factory = new FakeFactory();
  const sink = new RecordingSink();
  const observer = new CountingObserver();
  let now = 1_000_000;
  const hub = new ProbeHub(
    factory,
    sink,
    { enabled: true, maxConcurrent: 2, maxSeconds: 30, nodeId: NODE, iceServers: () => [{ urls: 'stun:127.0.0.1:3478' }], statsIntervalMs: 5_000, ...options },
    observer,
    () => now,
  );
  return { hub, factory, sink, observer, advanceClock: (ms: number) => (now += ms) };
}

/** Lets the hub's queued peer operations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe(ProbeHub.name, () => {
  afterEach(() => jest.useRealTimers());

  it('answers an offer as "probe" and records the offer and the answer of the pair (client, probe)', async () => {
    const { hub, factory, sink } = setUp();
    const client = new FakeClient('peer-a' as PeerId);

    expect(hub.offer(client, 'offer-1', 'ufrag-1')).toBe('accepted');
    await settle();

    expect(factory.peers).toHaveLength(1);
    expect(factory.peers[0].options.iceServers).toEqual([{ urls: 'stun:127.0.0.1:3478' }]);
    expect(client.frames).toEqual([{ type: 'answer', sdp: 'answer-to offer-1', from: 'probe' }]);
    expect(sink.events).toEqual([
      { kind: 'signal', signal: 'offer', from: 'peer-a', to: 'probe', iceUfrag: 'ufrag-1', t: 1_000_000, room: ROOM, node: NODE },
      { kind: 'signal', signal: 'answer', from: 'probe', to: 'peer-a', t: 1_000_000, room: ROOM, node: NODE },
    ]);
  });

  it('sends its own candidates only after its answer, and applies the client candidates after the offer they follow', async () => {
    const { hub, factory, sink } = setUp();
    factory.holdAnswers = true;
    const client = new FakeClient('peer-a' as PeerId);

    hub.offer(client, 'offer-1');
    expect(hub.candidate(client, { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 })).toBe(true);
    await settle();
    const peer = factory.peers[0];
    peer.listener.candidate({ candidate: 'candidate:9 1 udp 9 127.0.0.1 6000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    peer.listener.candidate({ candidate: '', sdpMid: null, sdpMLineIndex: null });

    expect(peer.calls).toEqual(['answer offer-1']);
    expect(client.frames).toEqual([]);

    peer.release();
    await settle();

    expect(peer.calls).toEqual(['answer offer-1', 'candidate candidate:1 1 udp 1 127.0.0.1 5000 typ host']);
    expect(client.frames.map((frame) => [frame.type, frame.candidate])).toEqual([
      ['answer', undefined],
      ['candidate', 'candidate:9 1 udp 9 127.0.0.1 6000 typ host'],
      ['candidate', ''],
    ]);
    expect(client.frames.every((frame) => frame.from === 'probe')).toBe(true);
    const probeCandidates = sink.events.filter((event) => event.kind === 'signal' && event.signal === 'candidate' && event.from === 'probe');
    expect(probeCandidates).toHaveLength(2);
  });

  it('answers a second offer (an ICE restart) on the same peer', async () => {
    const { hub, factory, observer } = setUp();
    const client = new FakeClient('peer-a' as PeerId);

    hub.offer(client, 'offer-1');
    hub.offer(client, 'offer-2');
    await settle();

    expect(factory.peers).toHaveLength(1);
    expect(factory.peers[0].calls).toEqual(['answer offer-1', 'answer offer-2']);
    expect(client.frames.map((frame) => frame.sdp)).toEqual(['answer-to offer-1', 'answer-to offer-2']);
    expect(observer.starts).toBe(1);
  });

  it('runs at most maxConcurrent probes: the next client gets unavailable until one ends', async () => {
    const { hub, factory, observer } = setUp({ maxConcurrent: 2 });
    const [a, b, c] = ['peer-a', 'peer-b', 'peer-c'].map((id) => new FakeClient(id as PeerId));

    expect(hub.offer(a, 'o')).toBe('accepted');
    expect(hub.offer(b, 'o')).toBe('accepted');
    expect(hub.offer(c, 'o')).toBe('unavailable');
    expect(hub.offer(a, 'o2')).toBe('accepted');
    expect(hub.active).toBe(2);
    expect(observer.refusals).toBe(1);

    hub.end(a);
    expect(hub.offer(c, 'o')).toBe('accepted');
    await settle();
    expect(factory.peers).toHaveLength(3);
    expect(factory.peers[0].closed).toBe(true);
    expect(observer.outcomes).toEqual(['abandoned']);
  });

  it('refuses every offer when turned off', () => {
    const { hub, factory, observer } = setUp({ enabled: false });

    expect(hub.offer(new FakeClient('peer-a' as PeerId), 'o')).toBe('unavailable');
    expect(factory.peers).toHaveLength(0);
    expect(observer.refusals).toBe(1);
  });

  it('keeps clients of different rooms apart, even with the same peer id', async () => {
    const { hub, factory } = setUp();
    const here = new FakeClient('peer-a' as PeerId);
    const elsewhere = Object.assign(new FakeClient('peer-a' as PeerId), { room: 'room-2' as RoomId });

    hub.offer(here, 'o');
    hub.offer(elsewhere, 'o');
    await settle();

    expect(factory.peers).toHaveLength(2);
  });

  it('records its own states once per change and its selected pair with the round trip once connected', async () => {
    jest.useFakeTimers();
    const { hub, factory, sink, observer, advanceClock } = setUp();
    const client = new FakeClient('peer-a' as PeerId);
    hub.offer(client, 'o');
    await settle();
    const peer = factory.peers[0];
    peer.pair = { localCandidateType: 'host', remoteCandidateType: 'relay', protocol: 'udp', rttMs: 1.5 };

    peer.state({ iceConnectionState: 'checking', connectionState: 'connecting' });
    peer.state({ iceConnectionState: 'checking', connectionState: 'connecting' });
    advanceClock(800);
    peer.state(CONNECTED);

    const reports = sink.events.filter((event) => event.kind === 'state' || event.kind === 'stats');
    expect(reports).toEqual([
      expect.objectContaining({ kind: 'state', peer: 'probe', to: 'peer-a', iceConnectionState: 'checking', connectionState: 'connecting' }),
      expect.objectContaining({ kind: 'state', peer: 'probe', to: 'peer-a', iceConnectionState: 'connected', connectionState: 'connected' }),
      expect.objectContaining({
        kind: 'stats',
        peer: 'probe',
        to: 'peer-a',
        report: { localCandidateType: 'host', remoteCandidateType: 'relay', protocol: 'udp', rttMs: 1.5 },
      }),
    ]);
    expect(observer.connectSeconds).toEqual([0.8]);

    jest.advanceTimersByTime(5_000);
    expect(sink.events.filter((event) => event.kind === 'stats')).toHaveLength(2);
    hub.closeAll();
  });

  it('records its DTLS state changes too, as part of its state', async () => {
    const { hub, factory, sink } = setUp();
    hub.offer(new FakeClient('peer-a' as PeerId), 'o');
    await settle();

    factory.peers[0].state({ iceConnectionState: 'connected', connectionState: 'connecting', dtlsState: 'connecting' });
    factory.peers[0].state({ iceConnectionState: 'connected', connectionState: 'connecting', dtlsState: 'failed' });

    expect(sink.events.filter((event) => event.kind === 'state')).toEqual([
      expect.objectContaining({ dtlsState: 'connecting', connectionState: 'connecting' }),
      expect.objectContaining({ dtlsState: 'failed', connectionState: 'connecting' }),
    ]);
    hub.closeAll();
  });

  it('fails in its own view when not connected after maxSeconds, then closes', async () => {
    jest.useFakeTimers();
    const { hub, factory, sink, observer } = setUp({ maxSeconds: 30 });
    const client = new FakeClient('peer-a' as PeerId);
    hub.offer(client, 'o');
    await settle();
    factory.peers[0].state({ iceConnectionState: 'checking', connectionState: 'connecting' });

    jest.advanceTimersByTime(29_999);
    expect(factory.peers[0].closed).toBe(false);
    jest.advanceTimersByTime(1);

    expect(factory.peers[0].closed).toBe(true);
    expect(sink.events.at(-1)).toEqual(
      expect.objectContaining({
        kind: 'state',
        peer: 'probe',
        iceConnectionState: 'failed',
        connectionState: 'failed',
        reason: 'probe time limit of 30 s reached before connecting',
      }),
    );
    expect(observer.outcomes).toEqual(['expired']);
    expect(hub.active).toBe(0);
  });

  it('keeps ICE connected in its verdict when only the transport above it did not come up (a DTLS failure)', async () => {
    jest.useFakeTimers();
    const { hub, factory, sink } = setUp({ maxSeconds: 5 });
    hub.offer(new FakeClient('peer-a' as PeerId), 'o');
    await settle();
    factory.peers[0].state({ iceConnectionState: 'connected', connectionState: 'connecting' });

    jest.advanceTimersByTime(5_000);

    expect(sink.events.at(-1)).toEqual(expect.objectContaining({ iceConnectionState: 'connected', connectionState: 'failed' }));
  });

  it('hangs up a connected probe after maxSeconds', async () => {
    jest.useFakeTimers();
    const { hub, factory, sink, observer } = setUp({ maxSeconds: 10 });
    hub.offer(new FakeClient('peer-a' as PeerId), 'o');
    await settle();
    factory.peers[0].state(CONNECTED);

    jest.advanceTimersByTime(10_000);

    expect(sink.events.at(-1)).toEqual(expect.objectContaining({ kind: 'state', peer: 'probe', connectionState: 'closed', reason: 'probe time limit of 10 s reached' }));
    expect(observer.outcomes).toEqual(['connected']);
  });

  it('counts a probe whose own ICE failed as failed, and records nothing after its client went', async () => {
    const { hub, factory, sink, observer } = setUp();
    const client = new FakeClient('peer-a' as PeerId);
    hub.offer(client, 'o');
    await settle();
    factory.peers[0].state({ iceConnectionState: 'failed', connectionState: 'failed' });
    const recorded = sink.events.length;

    hub.end(client);
    factory.peers[0].state({ iceConnectionState: 'closed', connectionState: 'closed' });
    factory.peers[0].listener.candidate({ candidate: 'candidate:9 1 udp 9 127.0.0.1 6000 typ host', sdpMid: '0', sdpMLineIndex: 0 });

    expect(sink.events).toHaveLength(recorded);
    expect(observer.outcomes).toEqual(['failed']);
  });

  it('answers an offer the peer cannot apply with schema-error, and ends that probe', async () => {
    const { hub, factory, observer } = setUp();
    const client = new FakeClient('peer-a' as PeerId);
    factory.holdAnswers = false;
    hub.offer(client, 'o');
    factory.peers[0].answerError = new Error('no m= line');
    await settle();

    expect(client.frames).toEqual([{ type: 'error', code: 'schema-error', message: 'the probe could not answer this offer: no m= line' }]);
    expect(factory.peers[0].closed).toBe(true);
    expect(observer.outcomes).toEqual(['failed']);
    expect(hub.active).toBe(0);
  });

  it('fails in its own view when its client leaves after the answer without a connection', async () => {
    const { hub, factory, sink, observer } = setUp();
    const client = new FakeClient('peer-a' as PeerId);
    hub.offer(client, 'o');
    await settle();
    factory.peers[0].state({ iceConnectionState: 'checking', connectionState: 'connecting' });

    hub.end(client);

    expect(sink.events.at(-1)).toEqual(
      expect.objectContaining({ kind: 'state', peer: 'probe', iceConnectionState: 'failed', connectionState: 'failed', reason: 'not connected when the client left (ICE checking)' }),
    );
    expect(observer.outcomes).toEqual(['failed']);
  });

  it('records nothing of its own when its client leaves before the answer went out, or after a connection', async () => {
    const { hub, factory, sink } = setUp();
    factory.holdAnswers = true;
    const early = new FakeClient('peer-a' as PeerId);
    hub.offer(early, 'o');
    hub.end(early);
    factory.holdAnswers = false;
    const connected = new FakeClient('peer-b' as PeerId);
    hub.offer(connected, 'o');
    await settle();
    factory.peers[1].state(CONNECTED);
    const recorded = sink.events.length;

    hub.end(connected);

    expect(sink.events).toHaveLength(recorded);
    expect(sink.events.some((event) => event.kind === 'state' && event.connectionState === 'failed')).toBe(false);
  });

  it('takes no candidate from a client without a probe', () => {
    const { hub, sink } = setUp();

    expect(hub.candidate(new FakeClient('peer-a' as PeerId), { candidate: '', sdpMid: null, sdpMLineIndex: null })).toBe(false);
    expect(sink.events).toEqual([]);
  });
});
