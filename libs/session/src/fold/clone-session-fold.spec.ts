import type { NodeId, PeerId, RoomId } from '@sg/schema';
import { applySessionEvent } from './apply-session-event';
import { cloneSessionFold } from './clone-session-fold';
import type { SessionFold } from './session-fold';
import type { SessionFoldEvent } from './session-fold-event';

const ROOM = 'room-1' as RoomId;
const A = 'peer-a' as PeerId;
const B = 'peer-b' as PeerId;
const NODE = 'node-1' as NodeId;
const T0 = 1_700_000_000_000;
let entry = 0;

function at(ms: number): { t: number; room: RoomId; node: NodeId; position: string } {
  entry += 1;
  return { t: T0 + ms, room: ROOM, node: NODE, position: `${T0 + entry}-0/0` };
}

/** One of every kind of change the fold makes: signals, states, stats, failures, resumes, departures. */
function everyKindOfEvent(): SessionFoldEvent[] {
  return [
    { ...at(0), kind: 'signal', signal: 'offer', from: A, to: B, iceUfrag: 'ua', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    { ...at(10), kind: 'signal', signal: 'candidate', from: A, to: B, candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host' },
    { ...at(20), kind: 'signal', signal: 'answer', from: B, to: A, iceUfrag: 'ub' },
    { ...at(30), kind: 'state', peer: B, to: A, connectionState: 'connected', iceConnectionState: 'connected', signalingState: 'stable', iceGatheringState: 'complete' },
    { ...at(40), kind: 'stats', peer: A, to: B, report: { rttMs: 12, packetLossPct: 1, jitterMs: 2, bitrateKbps: 300, localCandidateType: 'relay', remoteCandidateType: 'host', protocol: 'udp' } },
    { ...at(50), kind: 'state', peer: A, to: B, connectionState: 'failed' },
    { ...at(60), kind: 'state', peer: A, to: B, connectionState: 'disconnected' },
    { ...at(65), kind: 'peer-resumed', peer: A, previousNode: NODE, remoteAddr: '198.51.100.1:2' },
    { ...at(70), kind: 'peer-left', peer: B, reason: 'bye' },
    { kind: 'profile', peer: A, profile: { user: 'u', remoteAddr: '198.51.100.1:1', userAgent: 'UA', node: NODE } },
    { kind: 'clock', t: T0 + 100_000 },
  ];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe(cloneSessionFold.name, () => {
  it('is equal to what it copies', () => {
    let fold: SessionFold | null = null;
    for (const event of everyKindOfEvent()) fold = applySessionEvent(fold, event);
    expect(cloneSessionFold(fold as SessionFold)).toEqual(structuredClone(fold));
  });

  it('lets applySessionEvent make every kind of change without touching its input', () => {
    const events = everyKindOfEvent();
    let fold: SessionFold | null = applySessionEvent(null, events[0]);
    for (const event of events.slice(1)) {
      const input = fold as SessionFold;
      const before = structuredClone(input);
      // a frozen input throws on any write (specs run in strict mode)
      fold = applySessionEvent(deepFreeze(input), event);
      expect(fold).not.toBe(input);
      expect(input).toEqual(before);
    }
    expect((fold as SessionFold).timeline).toHaveLength(9);
    expect((fold as SessionFold).messageCounts).toEqual({ offer: 1, candidate: 1, answer: 1, state: 3, stats: 1 });
  });
});
