import { reportsConnected, type StateReportedEvent } from '@sg/schema';
import { compareNotes, compareTimed, insertInOrder, isLater } from './fold-order';
import { addToTimeline, count, noteNode, sideOf } from './fold-updates';
import type { SessionFold, SideFold, StateNote } from './session-fold';
import { isNotable, notesOf, reportsClosed } from './state-notes';
import { describeState } from './timeline-details';

/**
 * Reports that may end a session (failed, with a reason, closed), the earliest kept. Those a
 * later `connected` report recovered are dropped as it arrives, so the bound is only reached
 * by a client that keeps reporting `failed` without recovering; beyond it the latest are
 * dropped, which never changes the earliest failure, the one that decides.
 */
export const NOTES_KEPT = 64;
/** Per side, the newest reported ICE states kept, to tell `dtls-failed` from `ice-failed`. */
export const ICE_STATES_KEPT = 32;

/** A client's report of its connection, on a fold `applySessionEvent` owns. */
export function applyState(session: SessionFold, event: StateReportedEvent): void {
  const by = sideOf(session, event.peer);
  if (!by) return;
  noteNode(session, by, event);
  count(session, 'state');
  const { connectionState, iceConnectionState } = event;
  if (reportsConnected(event)) {
    session.connectedAt = session.connectedAt === null ? event.t : Math.min(session.connectedAt, event.t);
    session.lastConnectedAt = Math.max(session.lastConnectedAt ?? event.t, event.t);
    setLink(session, event.t, 'up');
  } else if (connectionState === 'disconnected' || iceConnectionState === 'disconnected') {
    setLink(session, event.t, 'down');
  }
  if (iceConnectionState !== undefined) addIceState(session[by], event.t, iceConnectionState);
  if (session.notes === undefined) {
    // a fold written before notes: its failures become notes from now on
    session.notes = notesOf(session);
    delete session.failures;
    delete session.closedAt;
  }
  if (isNotable(event)) {
    const note: StateNote = { t: event.t, by };
    if (connectionState !== undefined) note.connectionState = connectionState;
    if (iceConnectionState !== undefined) note.iceConnectionState = iceConnectionState;
    if (event.reason !== undefined) note.reason = event.reason;
    insertInOrder(session.notes, note, compareNotes);
  }
  pruneNotes(session);
  setReported(session, 'ice_connection_state', event.t, iceConnectionState);
  setReported(session, 'signaling_state', event.t, event.signalingState);
  setReported(session, 'ice_gathering_state', event.t, event.iceGatheringState);
  addToTimeline(session, { t: event.t, type: 'state', by, detail: describeState(event) });
}

/**
 * Drops the reports a later `connected` report recovered from (a failure, or a reason given
 * before it): they can no longer end the session and stay in the timeline only. A `closed`
 * report is kept: a hang-up is never undone. Then keeps the earliest `NOTES_KEPT`.
 */
function pruneNotes(session: SessionFold): void {
  const notes = session.notes as StateNote[];
  const recoveredBefore = session.lastConnectedAt;
  if (recoveredBefore !== null && notes.some((note) => note.t < recoveredBefore && !reportsClosed(note))) {
    session.notes = notes.filter((note) => note.t >= recoveredBefore || reportsClosed(note));
  }
  if ((session.notes as StateNote[]).length > NOTES_KEPT) (session.notes as StateNote[]).splice(NOTES_KEPT);
}

function addIceState(side: SideFold, t: number, v: string): void {
  const states = side.iceStates ?? [];
  if (states.some((state) => state.t === t && state.v === v)) return;
  insertInOrder(states, { t, v }, compareTimed);
  if (states.length > ICE_STATES_KEPT) states.splice(0, states.length - ICE_STATES_KEPT);
  side.iceStates = states;
}

function setLink(session: SessionFold, t: number, v: 'up' | 'down'): void {
  if (isLater(t, v, session.link)) session.link = { t, v };
}

function setReported(session: SessionFold, field: keyof SessionFold['reported'], t: number, v: string | undefined): void {
  if (v !== undefined && isLater(t, v, session.reported[field])) session.reported[field] = { t, v };
}
