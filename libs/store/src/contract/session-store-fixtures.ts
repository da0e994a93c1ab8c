import { PROBE_PEER_ID, type NodeId, type PeerId, type RoomId, type SessionEvent } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, PositionedSessionEvent, renderSessionDocument, SessionFold, StoredSession } from '@sg/session';

export interface SessionSpec {
  room: string;
  a: string;
  b: string;
  /** Unix ms of the offer. */
  at: number;
  /** `hang-up`: connected, then A reports its connection closed; `node-lost`: connected, then B's node died. */
  outcome: 'new' | 'connected' | 'closed' | 'no-answer' | 'ice-failed' | 'hang-up' | 'node-lost';
  userA?: string | null;
  userB?: string | null;
  candidateB?: string;
  /** Offers A sends once connected with the ICE credentials of its first. */
  renegotiations?: number;
  /** The session's trace, carried by its offer as a gateway with tracing on writes it. */
  traceparent?: string;
}

/** A real session, folded from the events a gateway would write, for store tests; with `b: 'probe'`, a probe session (the probe is admitted by no one). */
export function storedSession(spec: SessionSpec): StoredSession {
  const room = spec.room as RoomId;
  const a = spec.a as PeerId;
  const b = spec.b as PeerId;
  const events: SessionEvent[] = [
    { kind: 'peer-joined', t: spec.at - 100, room, node: 'node-1' as NodeId, peer: a, user: spec.userA ?? null, remoteAddr: '198.51.100.1:40001', userAgent: 'Mozilla/5.0 Chrome/131' },
    ...(b === PROBE_PEER_ID
      ? []
      : [{ kind: 'peer-joined', t: spec.at - 50, room, node: 'node-2' as NodeId, peer: b, user: spec.userB ?? null, remoteAddr: '203.0.113.7:50002', userAgent: 'Mozilla/5.0 Firefox/133' } as const]),
    { kind: 'signal', t: spec.at, room, node: 'node-1' as NodeId, signal: 'offer', from: a, to: b, ...(spec.renegotiations ? { iceUfrag: 'ufrag-a' } : {}), ...(spec.traceparent ? { traceparent: spec.traceparent } : {}) },
  ];
  if (spec.outcome !== 'new' && spec.outcome !== 'no-answer') {
    events.push({ kind: 'signal', t: spec.at + 300, room, node: 'node-2' as NodeId, signal: 'answer', from: b, to: a });
    events.push({ kind: 'signal', t: spec.at + 310, room, node: 'node-2' as NodeId, signal: 'candidate', from: b, to: a, candidate: spec.candidateB ?? 'candidate:1 1 udp 1 192.0.2.1 3478 typ relay' });
  }
  if (spec.outcome === 'connected' || spec.outcome === 'closed' || spec.outcome === 'hang-up' || spec.outcome === 'node-lost') {
    events.push({ kind: 'state', t: spec.at + 900, room, node: 'node-1' as NodeId, peer: a, to: b, connectionState: 'connected' });
  }
  for (let i = 1; i <= (spec.renegotiations ?? 0); i++) {
    events.push({ kind: 'signal', t: spec.at + 1_000 * i, room, node: 'node-1' as NodeId, signal: 'offer', from: a, to: b, iceUfrag: 'ufrag-a' });
  }
  if (spec.outcome === 'hang-up') events.push({ kind: 'state', t: spec.at + 30_000, room, node: 'node-1' as NodeId, peer: a, to: b, connectionState: 'closed', reason: 'hung up' });
  if (spec.outcome === 'node-lost') events.push({ kind: 'peer-left', t: spec.at + 45_000, room, node: 'node-2' as NodeId, peer: b, reason: 'node-lost' });
  if (spec.outcome === 'closed') events.push({ kind: 'peer-left', t: spec.at + 60_000, room, node: 'node-1' as NodeId, peer: a, reason: 'bye' });
  if (spec.outcome === 'ice-failed') events.push({ kind: 'state', t: spec.at + 5_000, room, node: 'node-1' as NodeId, peer: a, to: b, iceConnectionState: 'failed' });
  if (spec.outcome === 'no-answer') events.push({ kind: 'state', t: spec.at + 40_000, room, node: 'node-1' as NodeId, peer: a, signalingState: 'have-local-offer' });
  const positioned: PositionedSessionEvent[] = events.map((event, i) => ({ position: `${spec.at}-0/${i}`, event }));
  const sessions = new Map<string, SessionFold>();
  foldSessionEvents(positioned, new Map<PeerKey, PeerRecord>(), sessions as Map<never, SessionFold>);
  const fold = [...sessions.values()][0];
  return { fold, document: renderSessionDocument(fold) };
}
