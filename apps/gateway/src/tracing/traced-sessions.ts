import type { Context, Span } from '@opentelemetry/api';
import type { PeerId, RoomId } from '@sg/schema';

/** Sessions and admissions remembered per node; past it the oldest are forgotten (a later signal of theirs starts no span). */
export const TRACED_SESSIONS_MAX = 100_000;

/** A session's trace as this node knows it. */
export interface SessionTrace {
  readonly room: RoomId;
  readonly peers: readonly [PeerId, PeerId];
  /** The context whose span is the session's root: the local span, or the remote one another node started. */
  readonly parent: Context;
  /** The root span's context, as session events and node messages carry it. */
  readonly traceparent: string;
  readonly sampled: boolean;
  /** The root span, open, on the node that started it; null elsewhere and once ended. */
  root: Span | null;
  readonly rootStartedAt: number;
}

/** A local peer's admission: from the seat asked for (RoomMember.joinedAt) to its `welcome`. */
export interface Admission {
  readonly start: number;
  readonly end: number;
  readonly resumed: boolean;
}

/**
 * The sessions this node traces, by pair, and its peers' admissions, each bounded by
 * TRACED_SESSIONS_MAX (oldest out first). Sessions are indexed by peer too, so a departure
 * forgets the peer's admission and every session it was in.
 */
export class TracedSessions {
  private readonly sessions = new Map<string, SessionTrace>();
  /** room + peer -> keys of its traced sessions, to forget them when it leaves. */
  private readonly sessionsOfPeer = new Map<string, Set<string>>();
  private readonly admissions = new Map<string, Admission>();

  /** `forgotten` is told of each session forgotten, and why, before it goes: its root span must end. */
  constructor(private readonly forgotten: (session: SessionTrace, outcome: string) => void) {}

  /** The session of a pair, either way round. */
  session(room: RoomId, peer: PeerId, other: PeerId): SessionTrace | undefined {
    return this.sessions.get(sessionKey(room, peer, other));
  }

  add(session: SessionTrace): void {
    const key = sessionKey(session.room, session.peers[0], session.peers[1]);
    if (this.sessions.size >= TRACED_SESSIONS_MAX) this.forgetSession(this.sessions.keys().next().value as string);
    this.sessions.set(key, session);
    for (const peer of session.peers) {
      const index = peerKey(session.room, peer);
      const keys = this.sessionsOfPeer.get(index);
      if (keys) keys.add(key);
      else this.sessionsOfPeer.set(index, new Set([key]));
    }
  }

  admission(room: RoomId, peer: PeerId): Admission | undefined {
    return this.admissions.get(peerKey(room, peer));
  }

  admitted(room: RoomId, peer: PeerId, admission: Admission): void {
    const key = peerKey(room, peer);
    if (this.admissions.size >= TRACED_SESSIONS_MAX && !this.admissions.has(key)) this.admissions.delete(this.admissions.keys().next().value as string);
    this.admissions.set(key, admission);
  }

  /** The peer left the room: its admission and its sessions go, their roots ended as `peer-left`. */
  forgetPeer(room: RoomId, peer: PeerId): void {
    const index = peerKey(room, peer);
    this.admissions.delete(index);
    const keys = this.sessionsOfPeer.get(index);
    if (!keys) return;
    for (const key of [...keys]) this.forgetSession(key, 'peer-left');
    this.sessionsOfPeer.delete(index);
  }

  private forgetSession(key: string, outcome = 'forgotten'): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.forgotten(session, outcome);
    this.sessions.delete(key);
    for (const peer of session.peers) {
      const index = peerKey(session.room, peer);
      const keys = this.sessionsOfPeer.get(index);
      keys?.delete(key);
      if (keys?.size === 0) this.sessionsOfPeer.delete(index);
    }
  }
}

/** A session is a pair of peers in a room, either way round (PROTOCOL section 2). */
function sessionKey(room: RoomId, peer: PeerId, other: PeerId): string {
  return peer < other ? `${room} ${peer} ${other}` : `${room} ${other} ${peer}`;
}

function peerKey(room: RoomId, peer: PeerId): string {
  return `${room} ${peer}`;
}
