import type { PeerId, PeerLeftReason, RoomId, SessionEvent, SessionId } from '@sg/schema';
import { applySessionEvent } from './apply-session-event';
import type { SessionFold } from './session-fold';
import type { EventOrigin, PeerProfile, SessionFoldEvent, StreamPosition } from './session-fold-event';
import { sessionIdFor } from './session-id';

/** What the indexer remembers about a peer between batches: its admission and who it negotiated with. */
export interface PeerRecord {
  profile: PeerProfile | null;
  partners: PeerId[];
  /** The peer has left: its record is only kept a while for late events. */
  left: boolean;
  /** When and why it left, for a session whose first event is read after the departure. */
  departure?: { t: number; reason: PeerLeftReason };
}

export interface PositionedSessionEvent {
  position: StreamPosition;
  event: SessionEvent;
  origin?: EventOrigin;
}

/** `room` + `peer`: peer ids are unique, but a record is only ever looked up within its room. */
export type PeerKey = string & { readonly __brand: 'PeerKey' };

export function peerKey(room: RoomId, peer: PeerId): PeerKey {
  return `${room}/${peer}` as PeerKey;
}

/** The peers whose records a batch needs: every author and every addressee. */
export function peersMentioned(batch: readonly PositionedSessionEvent[]): PeerKey[] {
  const keys = new Set<PeerKey>();
  for (const { event } of batch) {
    const [author, addressee] = pairOf(event);
    keys.add(peerKey(event.room, author));
    if (addressee) keys.add(peerKey(event.room, addressee));
  }
  return [...keys];
}

/** The sessions a batch may change, given the peers' records: load these before folding. */
export function sessionsAffected(batch: readonly PositionedSessionEvent[], peers: ReadonlyMap<PeerKey, PeerRecord>): SessionId[] {
  const ids = new Set<SessionId>();
  const pairsByPeer = new Map<PeerKey, Set<PeerId>>();
  for (const { event } of batch) {
    const [author, addressee] = pairOf(event);
    if (!addressee) continue;
    ids.add(sessionIdFor(event.room, author, addressee));
    for (const [peer, other] of [[author, addressee], [addressee, author]]) {
      const key = peerKey(event.room, peer);
      pairsByPeer.set(key, (pairsByPeer.get(key) ?? new Set()).add(other));
    }
  }
  for (const { event } of batch) {
    const [author, addressee] = pairOf(event);
    if (addressee) continue;
    const key = peerKey(event.room, author);
    const partners = [...(peers.get(key)?.partners ?? []), ...(pairsByPeer.get(key) ?? [])];
    for (const partner of partners) ids.add(sessionIdFor(event.room, author, partner));
  }
  return [...ids];
}

export interface FoldOutcome {
  /** Sessions whose fold changed, to write. */
  sessions: Set<SessionId>;
  /** Peer records that changed, to write. */
  peers: Set<PeerKey>;
}

/**
 * Folds a batch, in stream order, into `sessions` and `peers` (both updated in place;
 * pass what `sessionsAffected` and `peersMentioned` named, as loaded). An event about a
 * pair goes to the pair's session; a departure, or a report without `to`, goes to every
 * session of its peer; an admission becomes the peer's profile, applied to its sessions.
 * Every step is idempotent, so a redelivered batch changes nothing.
 */
export function foldSessionEvents(
  batch: readonly PositionedSessionEvent[],
  peers: Map<PeerKey, PeerRecord>,
  sessions: Map<SessionId, SessionFold>,
): FoldOutcome {
  const outcome: FoldOutcome = { sessions: new Set(), peers: new Set() };
  const apply = (id: SessionId, event: SessionFoldEvent): SessionFold | null => {
    const before = sessions.get(id) ?? null;
    const after = applySessionEvent(before, event);
    if (after && after !== before) {
      sessions.set(id, after);
      outcome.sessions.add(id);
    }
    return after;
  };
  const recordOf = (room: RoomId, peer: PeerId): PeerRecord => {
    const key = peerKey(room, peer);
    let record = peers.get(key);
    if (!record) peers.set(key, (record = { profile: null, partners: [], left: false }));
    return record;
  };
  const partnersOf = (room: RoomId, peer: PeerId) => recordOf(room, peer).partners;

  for (const { position, event, origin } of batch) {
    if (event.kind === 'peer-joined') {
      const record = recordOf(event.room, event.peer);
      const profile: PeerProfile = { user: event.user, remoteAddr: event.remoteAddr, userAgent: event.userAgent, node: event.node };
      if (JSON.stringify(record.profile) !== JSON.stringify(profile)) {
        record.profile = profile;
        outcome.peers.add(peerKey(event.room, event.peer));
      }
      for (const partner of partnersOf(event.room, event.peer)) {
        apply(sessionIdFor(event.room, event.peer, partner), { kind: 'profile', peer: event.peer, profile });
      }
      continue;
    }
    const [author, addressee] = pairOf(event);
    const positioned = { ...event, position, ...(origin && { origin }) } as SessionFoldEvent;
    if (addressee) {
      const id = sessionIdFor(event.room, author, addressee);
      const existed = sessions.has(id);
      // only a relayed signal proves the pair exists; a report may name any `to`, so it
      // starts a session only when that peer is known to have joined the room
      if (!existed && event.kind !== 'signal' && !recordOf(event.room, addressee).profile) continue;
      const session = apply(id, positioned);
      if (!session) continue;
      linkPartners(recordOf(event.room, author), addressee, () => outcome.peers.add(peerKey(event.room, author)));
      linkPartners(recordOf(event.room, addressee), author, () => outcome.peers.add(peerKey(event.room, addressee)));
      if (!existed) {
        // a new session learns what is already known of both sides, their departures
        // included: the other node may have flushed a peer-left before this signal
        for (const peer of [author, addressee]) {
          const { profile, departure } = recordOf(event.room, peer);
          if (profile) apply(id, { kind: 'profile', peer, profile });
          if (departure) apply(id, { kind: 'departed', peer, ...departure });
        }
      }
      continue;
    }
    if (event.kind === 'peer-left') {
      const record = recordOf(event.room, author);
      if (!record.left || !record.departure) {
        record.left = true;
        record.departure = { t: event.t, reason: event.reason };
        outcome.peers.add(peerKey(event.room, author));
      }
    }
    for (const partner of partnersOf(event.room, author)) apply(sessionIdFor(event.room, author, partner), positioned);
  }
  return outcome;
}

function linkPartners(record: PeerRecord, partner: PeerId, changed: () => void): void {
  if (record.partners.includes(partner)) return;
  record.partners.push(partner);
  changed();
}

/** The event's author and, for an event about one pair, the other peer. */
function pairOf(event: SessionEvent): [PeerId, PeerId | null] {
  switch (event.kind) {
    case 'signal':
      return [event.from, event.to];
    case 'state':
    case 'stats':
      return [event.peer, event.to !== undefined && event.to !== event.peer ? event.to : null];
    case 'peer-joined':
    case 'peer-left':
    case 'peer-resumed':
      return [event.peer, null];
  }
}
