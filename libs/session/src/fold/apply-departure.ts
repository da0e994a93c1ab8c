import type { PeerId, PeerLeftEvent, PeerLeftReason } from '@sg/schema';
import { cloneSessionFold } from './clone-session-fold';
import { addToTimeline, sideOf } from './fold-updates';
import type { SessionFold, Side, SideFold, TimelineEntry } from './session-fold';

/*
 * A peer leaves once; the same departure reaches a session as a `peer-left` event or, read
 * before the session existed, from the peer's record (a `departed` fold event), and must count
 * once either way.
 */

/** A `peer-left` event, on a fold `applySessionEvent` owns. */
export function applyPeerLeft(session: SessionFold, event: Pick<PeerLeftEvent, 't' | 'peer' | 'reason'>): void {
  const side = sideOf(session, event.peer);
  if (!side) addToTimeline(session, departureEntry(event.t, 'server', event.peer, event.reason));
  else if (setDeparture(session, side, event.t, event.reason)) addToTimeline(session, departureEntry(event.t, side, event.peer, event.reason));
}

/** A departure from the peer's record: a new fold when it is news, else the same one. */
export function withDeparture(session: SessionFold, peer: PeerId, t: number, reason: PeerLeftReason): SessionFold {
  const side = sideOf(session, peer);
  if (!side || !departsEarlier(session[side], t, reason)) return session;
  const next = cloneSessionFold(session);
  setDeparture(next, side, t, reason);
  // as the peer-left event itself would have, had the session existed when it was read
  next.clock = Math.max(next.clock, t);
  next.lastEventAt = Math.max(next.lastEventAt, t);
  next.firstAt = Math.min(next.firstAt, t);
  addToTimeline(next, departureEntry(t, side, peer, reason));
  return next;
}

/** Returns whether the departure was new (the earliest, should a peer ever be said to leave twice). */
function setDeparture(session: SessionFold, side: Side, t: number, reason: PeerLeftReason): boolean {
  if (!departsEarlier(session[side], t, reason)) return false;
  session[side].left = { t, reason };
  return true;
}

function departsEarlier(side: SideFold, t: number, reason: PeerLeftReason): boolean {
  const left = side.left;
  return !left || t < left.t || (t === left.t && reason < left.reason);
}

/** A departure in the timeline; a kick is the server's act (PROTOCOL section 3: type `kicked`, by `server`, naming the peer). */
function departureEntry(t: number, side: Side | 'server', peer: PeerId, reason: PeerLeftReason): TimelineEntry {
  return reason === 'kicked' ? { t, type: 'kicked', by: 'server', detail: peer } : { t, type: 'peer-left', by: side, detail: reason };
}
