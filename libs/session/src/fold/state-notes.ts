import type { StateReportedEvent } from '@sg/schema';
import { compareNotes } from './fold-order';
import type { SessionFold, StateNote } from './session-fold';

/** Whether a `state` report may decide how its session ends: a `failed` state, a `reason`, or a closed connection. */
export function isNotable(report: Pick<StateReportedEvent, 'connectionState' | 'iceConnectionState' | 'reason'>): boolean {
  return reportsFailed(report) || report.reason !== undefined || reportsClosed(report);
}

export function reportsFailed(report: Pick<StateNote, 'connectionState' | 'iceConnectionState'>): boolean {
  return report.connectionState === 'failed' || report.iceConnectionState === 'failed';
}

/** The connection was closed (a hang-up once connected); ICE's `closed` counts when the connection state is not given. */
export function reportsClosed(report: Pick<StateNote, 'connectionState' | 'iceConnectionState'>): boolean {
  if (reportsFailed(report)) return false;
  return report.connectionState !== undefined ? report.connectionState === 'closed' : report.iceConnectionState === 'closed';
}

/**
 * The fold's notes, also for a fold written before notes existed: its failures (then
 * classified `ice-failed` or `client-reported`) and its earliest `closed` report become
 * the reports they stood for, as near as they can be told.
 */
export function notesOf(fold: SessionFold): StateNote[] {
  if (fold.notes) return fold.notes;
  const notes: StateNote[] = [];
  for (const failure of fold.failures ?? []) {
    const reason = failure.detail !== null ? { reason: failure.detail } : {};
    notes.push(
      failure.reason === 'ice-failed'
        ? { t: failure.t, by: failure.by, iceConnectionState: 'failed', ...reason }
        : { t: failure.t, by: failure.by, reason: failure.detail ?? '' },
    );
  }
  if (fold.closedAt !== undefined && fold.closedAt !== null) notes.push({ t: fold.closedAt, by: 'a', connectionState: 'closed' });
  return notes.sort(compareNotes);
}
