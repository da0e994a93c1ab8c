import type { SessionEndReason, SessionFailureReason, SessionKind } from '@sg/schema';
import { compareText } from './fold-order';
import type { SessionFold, Side, StateNote, TimelineEntry } from './session-fold';
import type { SessionRules } from './session-rules';
import { notesOf, reportsClosed, reportsFailed } from './state-notes';

/** How a session ended (PROTOCOL section 2). */
export interface SessionEnding {
  /** Unix ms. */
  t: number;
  state: 'failed' | 'closed';
  reason: SessionFailureReason | null;
  detail: string | null;
  endReason: SessionEndReason;
}

export interface SessionVerdict {
  ending: SessionEnding | null;
  /** Deadlines that fired, for the timeline: the one that ended the session, and those a later `connected` report recovered from. */
  markers: TimelineEntry[];
}

type Rule = SessionFailureReason | 'closed';

/** Section 2's rules in their order: it decides between endings at the same millisecond. */
const RULE_ORDER: Record<Rule, number> = {
  'no-answer': 0,
  'ice-failed': 1,
  'dtls-failed': 1,
  'ice-timeout': 2,
  'client-reported': 3,
  'peer-left-before-connected': 4,
  'node-lost': 4,
  'connection-lost': 5,
  closed: 6,
};

/** The failures a side's own `state` reports give: a probe's own view of a failure is one of these. */
const REPORTED_FAILURES: ReadonlySet<Rule> = new Set(['ice-failed', 'dtls-failed', 'client-reported', 'connection-lost']);

interface Candidate {
  t: number;
  rule: Rule;
  by: Side | 'server';
  detail: string | null;
  endReason: SessionEndReason;
  /** A failure a later `connected` report undoes: deadlines and reported failures, not departures or hang-ups. */
  recoverable: boolean;
  marker?: TimelineEntry;
  note?: StateNote;
}

/**
 * Decides the session's outcome from its fold, on times rather than arrival order, by
 * PROTOCOL section 2's rules:
 *
 * - Every rule gives a candidate ending at the time it applies: a deadline that passed
 *   (`no-answer`, `ice-timeout`) with no `connected` report by then; a side's `failed` state
 *   (`ice-failed`, or `dtls-failed` when that side's ICE was last `connected`/`completed`
 *   and only its connection failed; after `connected`: `connection-lost`); a `state` with a
 *   `reason` and no `failed` before `connected` (`client-reported`); a departure
 *   (`peer-left-before-connected` / `node-lost` before `connected`, `closed` after); a
 *   `state` reporting `closed` after `connected`, a hang-up with or without a reason,
 *   which gives `closed` with `end_reason: "bye"`, as the side had said bye.
 * - The earliest candidate ends the session, the rules' order deciding at the same
 *   millisecond, then the side (A first; in a probe session the probe's side first), so
 *   the verdict never depends on which side's report was read first.
 * - A failure (deadlines included) followed by a `connected` report was recovered (an ICE
 *   restart that connected): it is skipped, and stays in the timeline. Departures and
 *   hang-ups are final.
 * - In a probe session the probe's own view decides: when anything else fails it (the
 *   client's report, the client leaving before connected, a deadline), the probe's own
 *   reported failure of that same episode (not recovered since), if any, gives
 *   `failure_reason` and `failure_detail` instead.
 * - `failure_detail`: the report's `reason`, or the first reason that side gave after it
 *   (for a probe whose own report says none, the client's).
 */
export function decideSessionEnding(fold: SessionFold, createdAt: number, rules: SessionRules, kind: SessionKind): SessionVerdict {
  const notes = notesOf(fold);
  const candidates = [...deadlineCandidates(fold, createdAt, rules), ...noteCandidates(fold, notes), ...departureCandidates(fold)];
  const sideOrder = kind === 'probe' ? { b: 0, a: 1, server: 2 } : { a: 0, b: 1, server: 2 };
  candidates.sort((x, y) => x.t - y.t || RULE_ORDER[x.rule] - RULE_ORDER[y.rule] || sideOrder[x.by] - sideOrder[y.by] || compareText(x.detail, y.detail));
  const recovered = (t: number) => fold.lastConnectedAt !== null && fold.lastConnectedAt > t;
  const markers: TimelineEntry[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i];
    if (candidate.marker) markers.push(candidate.marker);
    if (candidate.recoverable && recovered(candidate.t)) continue;
    let decisive = candidate;
    if (kind === 'probe' && candidate.by !== 'b' && candidate.rule !== 'closed') {
      // e.g. the probe records its own failure when its client gives up and leaves: that says why
      decisive = candidates.slice(i + 1).find((later) => later.by === 'b' && REPORTED_FAILURES.has(later.rule)) ?? candidate;
    }
    const state = decisive.rule === 'closed' ? 'closed' : 'failed';
    // the probe may not say why; the client's own report may have
    const detail = detailOf(notes, decisive) ?? (decisive !== candidate && candidate.note ? detailOf(notes, candidate) : null);
    return {
      ending: { t: candidate.t, state, reason: state === 'failed' ? (decisive.rule as SessionFailureReason) : null, detail: state === 'failed' ? detail : null, endReason: decisive.endReason },
      markers,
    };
  }
  return { ending: null, markers };
}

function deadlineCandidates(fold: SessionFold, createdAt: number, rules: SessionRules): Candidate[] {
  const connectedBy = (t: number) => fold.connectedAt !== null && fold.connectedAt <= t;
  const negotiationDeadline = createdAt + rules.negotiationTimeoutMs;
  const answeredInTime = fold.answerAt !== null && fold.answerAt <= negotiationDeadline;
  const candidates: Candidate[] = [];
  if (!answeredInTime && fold.clock >= negotiationDeadline && !connectedBy(negotiationDeadline)) {
    candidates.push(deadline(negotiationDeadline, 'no-answer', `no answer within ${rules.negotiationTimeoutMs} ms`));
  }
  const iceDeadline = answeredInTime ? (fold.answerAt as number) + rules.iceTimeoutMs : null;
  if (iceDeadline !== null && fold.clock >= iceDeadline && !connectedBy(iceDeadline)) {
    candidates.push(deadline(iceDeadline, 'ice-timeout', `not connected within ${rules.iceTimeoutMs} ms of the answer`));
  }
  return candidates;
}

function deadline(t: number, rule: 'no-answer' | 'ice-timeout', detail: string): Candidate {
  return { t, rule, by: 'server', detail: null, endReason: 'failed', recoverable: true, marker: { t, type: rule, by: 'server', detail } };
}

function noteCandidates(fold: SessionFold, notes: readonly StateNote[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const note of notes) {
    const connected = fold.connectedAt !== null && fold.connectedAt <= note.t;
    const detail = note.reason ?? null;
    if (reportsFailed(note)) {
      const rule = connected ? 'connection-lost' : transportFailed(fold, note) ? 'dtls-failed' : 'ice-failed';
      candidates.push({ t: note.t, rule, by: note.by, detail, endReason: 'failed', recoverable: true, note });
    } else if (!connected && note.reason !== undefined) {
      candidates.push({ t: note.t, rule: 'client-reported', by: note.by, detail, endReason: 'failed', recoverable: true, note });
    } else if (connected && reportsClosed(note)) {
      // a hang-up: the side closed its connection on purpose, as good as a bye (docs/architecture.md, "Session rules")
      candidates.push({ t: note.t, rule: 'closed', by: note.by, detail: null, endReason: 'bye', recoverable: false });
    }
  }
  return candidates;
}

/** Only the connection failed, while the side's ICE was last `connected` or `completed`: DTLS (or SCTP) failed after ICE succeeded. */
function transportFailed(fold: SessionFold, note: StateNote): boolean {
  if (note.connectionState !== 'failed' || note.iceConnectionState === 'failed') return false;
  let ice = note.iceConnectionState;
  if (ice === undefined) {
    for (const state of fold[note.by].iceStates ?? []) {
      if (state.t > note.t) break;
      ice = state.v;
    }
  }
  return ice === 'connected' || ice === 'completed';
}

function departureCandidates(fold: SessionFold): Candidate[] {
  const candidates: Candidate[] = [];
  for (const side of ['a', 'b'] as const) {
    const left = fold[side].left;
    if (!left) continue;
    if (fold.connectedAt !== null && fold.connectedAt <= left.t) {
      candidates.push({ t: left.t, rule: 'closed', by: side, detail: null, endReason: left.reason, recoverable: false });
    } else {
      const rule = left.reason === 'node-lost' ? 'node-lost' : 'peer-left-before-connected';
      candidates.push({ t: left.t, rule, by: side, detail: `${side === 'a' ? 'A' : 'B'} left (${left.reason})`, endReason: 'failed', recoverable: false });
    }
  }
  return candidates;
}

/** A failure's detail; for a report without a reason, the first one its side gave after it (a client that says why once it has given up). */
function detailOf(notes: readonly StateNote[], candidate: Candidate): string | null {
  const note = candidate.note;
  if (candidate.detail !== null || !note) return candidate.detail;
  return notes.find((other) => other.by === note.by && other.t >= note.t && other.reason !== undefined)?.reason ?? null;
}
