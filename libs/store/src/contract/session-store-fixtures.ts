import type { NodeId, PeerId, RoomId, SessionEvent } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, PositionedSessionEvent, renderSessionDocument, SessionFold, StoredSession } from '@sg/session';

export interface SessionSpec {
  room: string;
  a: string;
  b: string;
  /** Unix ms of the offer. */
  at: number;
  outcome: 'new' | 'connected' | 'closed' | 'no-answer' | 'ice-failed';
  userA?: string | null;
  userB?: string | null;
  candidateB?: string;
}

/** A real session, folded from the events a gateway would write, for store tests. */
export function storedSession(spec: SessionSpec): StoredSession {
  const room = spec.room as RoomId;
  const a = spec.a as PeerId;
  const b = spec.b as PeerId;
  const events: SessionEvent[] = [
    { kind: 'peer-joined', t: spec.at - 100, room, node: 'node-1' as NodeId, peer: a, user: spec.userA ?? null, remoteAddr: '198.51.100.1:40001', userAgent: 'Mozilla/5.0 Chrome/131' },
    { kind: 'peer-joined', t: spec.at - 50, room, node: 'node-2' as NodeId, peer: b, user: spec.userB ?? null, remoteAddr: '203.0.113.7:50002', userAgent: 'Mozilla/5.0 Firefox/133' },
    { kind: 'signal', t: spec.at, room, node: 'node-1' as NodeId, signal: 'offer', from: a, to: b },
  ];
  if (spec.outcome !== 'new' && spec.outcome !== 'no-answer') {
    events.push({ kind: 'signal', t: spec.at + 300, room, node: 'node-2' as NodeId, signal: 'answer', from: b, to: a });
    events.push({ kind: 'signal', t: spec.at + 310, room, node: 'node-2' as NodeId, signal: 'candidate', from: b, to: a, candidate: spec.candidateB ?? 'candidate:1 1 udp 1 192.0.2.1 3478 typ relay' });
  }
  if (spec.outcome === 'connected' || spec.outcome === 'closed') {
    events.push({ kind: 'state', t: spec.at + 900, room, node: 'node-1' as NodeId, peer: a, to: b, connectionState: 'connected' });
  }
  if (spec.outcome === 'closed') events.push({ kind: 'peer-left', t: spec.at + 60_000, room, node: 'node-1' as NodeId, peer: a, reason: 'bye' });
  if (spec.outcome === 'ice-failed') events.push({ kind: 'state', t: spec.at + 5_000, room, node: 'node-1' as NodeId, peer: a, to: b, iceConnectionState: 'failed' });
  if (spec.outcome === 'no-answer') events.push({ kind: 'state', t: spec.at + 40_000, room, node: 'node-1' as NodeId, peer: a, signalingState: 'have-local-offer' });
  const positioned: PositionedSessionEvent[] = events.map((event, i) => ({ position: `${spec.at}-0/${i}`, event }));
  const sessions = new Map<string, SessionFold>();
  foldSessionEvents(positioned, new Map<PeerKey, PeerRecord>(), sessions as Map<never, SessionFold>);
  const fold = [...sessions.values()][0];
  return { fold, document: renderSessionDocument(fold) };
}
