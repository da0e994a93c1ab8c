import { PROBE_PEER_ID, type NodeId, type PeerId, type PeerLeftReason, type RoomId, type SessionDocument, type SessionEvent, type SessionId } from '@sg/schema';
import { foldSessionEvents, PeerKey, PeerRecord, PositionedSessionEvent } from './fold-session-events';
import { renderSessionDocument } from './render-session-document';
import type { SessionFold } from './session-fold';
import type { SessionRules } from './session-rules';
import { sessionIdFor } from './session-id';

// Test data shared by the fold's specs; not exported from the lib.

export type EventWithoutRoom = SessionEvent extends infer E ? (E extends SessionEvent ? Omit<E, 'room'> : never) : never;

export const RULES: SessionRules = { negotiationTimeoutMs: 30_000, iceTimeoutMs: 20_000 };
export const ROOM = 'room-1' as RoomId;
export const A = 'peer-a' as PeerId;
export const B = 'peer-b' as PeerId;
export const PROBE = PROBE_PEER_ID;
export const NODE_1 = 'node-1' as NodeId;
export const NODE_2 = 'node-2' as NodeId;
export const T0 = 1_700_000_000_000;
export const SESSION = sessionIdFor(ROOM, A, B);
export const PROBE_SESSION = sessionIdFor(ROOM, A, PROBE);
export const HOST = 'candidate:1 1 udp 2122260223 192.168.1.2 50000 typ host';
export const RELAY_TCP = 'candidate:3 1 tcp 41885439 203.0.113.9 3478 typ relay raddr 0.0.0.0 rport 0 tcptype passive';
export const MDNS = 'candidate:2 1 udp 2122260223 6f1c2a3b-aaaa-bbbb-cccc-111122223333.local 50001 typ host';

/** A's node, and the probe's (the node A is connected to); B is on the other node. */
export function nodeOf(peer: PeerId): NodeId {
  return peer === B ? NODE_2 : NODE_1;
}

/** The other peer of the pair the script is about: A with B, or A with the probe. */
function otherOf(peer: PeerId, pair: PeerId): PeerId {
  return peer === A ? pair : A;
}

/** Builds a stream of events with increasing positions, as the indexer reads them. Times are ms after T0. */
export class Script {
  readonly events: PositionedSessionEvent[] = [];
  private entry = 0;

  /** `pair`: the peer A negotiates with, B or the probe. */
  constructor(readonly pair: PeerId = B) {}

  add(event: EventWithoutRoom): this {
    this.entry += 1;
    this.events.push({ position: `${T0 + this.entry}-0/0`, event: { room: ROOM, ...event } as SessionEvent });
    return this;
  }
  joined(peer: PeerId, at: number, node = nodeOf(peer), user: string | null = `user-${peer}`): this {
    return this.add({ kind: 'peer-joined', t: T0 + at, node, peer, user, remoteAddr: `198.51.100.${peer === A ? 1 : 2}:4000${peer === A ? 1 : 2}`, userAgent: 'Mozilla/5.0 Chrome/131' });
  }
  signal(signal: 'offer' | 'answer' | 'candidate', from: PeerId, to: PeerId, at: number, candidate?: string): this {
    return this.add({ kind: 'signal', t: T0 + at, node: nodeOf(from), signal, from, to, ...(candidate !== undefined ? { candidate } : {}) });
  }
  /** An offer with its SDP's ICE username fragment, as gateways record it. */
  offer(from: PeerId, at: number, iceUfrag?: string): this {
    return this.add({ kind: 'signal', t: T0 + at, node: nodeOf(from), signal: 'offer', from, to: otherOf(from, this.pair), ...(iceUfrag !== undefined ? { iceUfrag } : {}) });
  }
  state(peer: PeerId, at: number, fields: Record<string, string>, to: PeerId | undefined = otherOf(peer, this.pair)): this {
    return this.add({ kind: 'state', t: T0 + at, node: nodeOf(peer), peer, ...(to ? { to } : {}), ...fields } as EventWithoutRoom);
  }
  stats(peer: PeerId, at: number, report: Record<string, string | number>): this {
    return this.add({ kind: 'stats', t: T0 + at, node: nodeOf(peer), peer, to: otherOf(peer, this.pair), report } as EventWithoutRoom);
  }
  left(peer: PeerId, at: number, reason: PeerLeftReason): this {
    return this.add({ kind: 'peer-left', t: T0 + at, node: nodeOf(peer), peer, reason });
  }
  /** Both joined (the probe never joins), A offered at 1 s, the other side answered at 2 s. */
  answered(): this {
    if (this.pair !== PROBE) this.joined(A, 0).joined(this.pair, 0);
    else this.joined(A, 0);
    return this.offer(A, 1_000, 'ufrag-1').signal('answer', this.pair, A, 2_000);
  }
  /** A call that connects: joins, offer, answer, candidates, connected reports. */
  connected(): this {
    return this.joined(A, 0)
      .joined(B, 100, NODE_2)
      .signal('offer', A, B, 1_000)
      .signal('candidate', A, B, 1_050, HOST)
      .signal('answer', B, A, 1_500)
      .signal('candidate', B, A, 1_550, RELAY_TCP)
      .state(A, 2_000, { connectionState: 'connected', iceConnectionState: 'connected' })
      .state(B, 2_100, { connectionState: 'connected' });
  }
}

export function fold(events: readonly PositionedSessionEvent[], into = new Map<SessionId, SessionFold>(), peers = new Map<PeerKey, PeerRecord>()) {
  foldSessionEvents(events, peers, into);
  return { sessions: into, peers };
}

/** The document of the session of A and B (or `session`), with the clock at `clock` ms after T0 when given. */
export function documentOf(events: readonly PositionedSessionEvent[], clock?: number, session: SessionId = SESSION): SessionDocument {
  const { sessions } = fold(events);
  let folded = sessions.get(session);
  if (!folded) throw new Error('no session');
  if (clock !== undefined) folded = { ...folded, clock: Math.max(folded.clock, T0 + clock) };
  return renderSessionDocument(folded, RULES);
}

/** Seconds after T0, as documents give times. */
export function at(ms: number): number {
  return (T0 + ms) / 1000;
}
