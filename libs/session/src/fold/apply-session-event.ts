import { applyPeerLeft, withDeparture } from './apply-departure';
import { withProfile } from './apply-profile';
import { applySignal } from './apply-signal';
import { applyState } from './apply-state';
import { applyStats } from './apply-stats';
import { cloneSessionFold } from './clone-session-fold';
import { isEarlier, isLater } from './fold-order';
import { addToTimeline, sideOf } from './fold-updates';
import type { SessionFoldEvent } from './session-fold-event';
import type { SessionFold } from './session-fold';
import { startSession } from './start-session';
import { compareStreamPositions } from './stream-position';

// importers of this module and of the lib's index read the fold's bounds and `sideOf` here
export { ICE_STATES_KEPT, NOTES_KEPT } from './apply-state';
export { SDPS_KEPT } from './apply-signal';
export { sideOf } from './fold-updates';

/**
 * Folds one event into a session (PROTOCOL section 2). Pure: returns a new fold and
 * never changes its input. Idempotent: an event at or before the position already
 * applied is a redelivery and changes nothing; profile and clock events are idempotent
 * by nature. Order-free: the same events give the same fold whatever order they are
 * applied in (events of two nodes reach the stream in any order), up to the bounds of
 * its lists. Returns null when there is no session and the event cannot start one
 * (a departure, a profile or a clock tick with nothing to apply to).
 */
export function applySessionEvent(session: SessionFold | null, event: SessionFoldEvent): SessionFold | null {
  if (event.kind === 'clock') return session && event.t > session.clock ? { ...session, clock: event.t } : session;
  if (event.kind === 'profile') return session && withProfile(session, event.peer, event.profile);
  if (event.kind === 'departed') return session && withDeparture(session, event.peer, event.t, event.reason);
  if (session && session.position !== null && compareStreamPositions(event.position, session.position) <= 0) return session;
  if (session && event.origin && (session.seen?.[event.origin.writer] ?? 0) >= event.origin.seq) return session;
  const base = session ?? startSession(event);
  if (!base) return null;
  const next = cloneSessionFold(base);
  next.position = event.position;
  if (event.origin) next.seen = { ...next.seen, [event.origin.writer]: event.origin.seq };
  next.clock = Math.max(next.clock, event.t);
  next.lastEventAt = Math.max(next.lastEventAt, event.t);
  next.firstAt = Math.min(next.firstAt, event.t);
  if (event.traceparent !== undefined && isEarlier(event.t, event.traceparent, next.trace)) next.trace = { t: event.t, v: event.traceparent };
  switch (event.kind) {
    case 'signal':
      applySignal(next, event);
      break;
    case 'state':
      applyState(next, event);
      break;
    case 'stats':
      applyStats(next, event);
      break;
    case 'peer-left':
      applyPeerLeft(next, event);
      break;
    case 'peer-resumed': {
      // the side came back on a new socket (maybe another node): the session goes on
      const side = sideOf(next, event.peer);
      if (side && isLater(event.t, event.node, next[side].resumedNode)) next[side].resumedNode = { t: event.t, v: event.node };
      addToTimeline(next, { t: event.t, type: 'peer-resumed', by: side ?? 'server', detail: `${event.previousNode} -> ${event.node}` });
      break;
    }
  }
  return next;
}
