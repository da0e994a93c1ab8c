import type { SessionConnectionState, SessionDocument, SessionFailureReason, SessionTimelineEvent } from '@sg/schema';
import type { SessionFold, Side, TimelineEntry } from './session-fold';
import { DEFAULT_SESSION_RULES, SessionRules, TIMELINE_MAX_EVENTS } from './session-rules';

interface Ending {
  t: number;
  state: Extract<SessionConnectionState, 'failed' | 'closed'>;
  reason: SessionFailureReason | null;
  detail: string | null;
  /** A server-side event the timeline shows, e.g. a deadline that fired. */
  marker?: TimelineEntry;
}

/**
 * The session document of PROTOCOL section 2, rendered from a fold. The rules are
 * decided on times, not on arrival order: the earliest ending wins, so a late-arriving
 * event that happened before a deadline still counts, and one after it does not.
 */
export function renderSessionDocument(fold: SessionFold, rules: SessionRules = DEFAULT_SESSION_RULES): SessionDocument {
  const createdAt = fold.offerAt ?? fold.firstAt;
  const ending = endingOf(fold, createdAt, rules);
  const timeline = ending?.marker ? withMarker(fold.timeline, ending.marker) : fold.timeline;
  const updatedAt = Math.max(fold.lastEventAt, ending?.t ?? 0);
  return {
    session_id: fold.sessionId,
    room_id: fold.room,
    created_at: seconds(createdAt),
    updated_at: seconds(updatedAt),
    ended_at: ending ? seconds(ending.t) : null,
    client_a_id: fold.a.peer,
    client_b_id: fold.b.peer,
    client_a_user: fold.a.user,
    client_b_user: fold.b.user,
    client_a_remote_addr: fold.a.remoteAddr,
    client_b_remote_addr: fold.b.remoteAddr,
    client_a_user_agent: fold.a.userAgent,
    client_b_user_agent: fold.b.userAgent,
    client_a_node: fold.a.node,
    client_b_node: fold.b.node,
    connection_state: ending ? ending.state : liveState(fold, createdAt, rules),
    ice_connection_state: fold.reported.ice_connection_state?.v ?? null,
    signaling_state: fold.reported.signaling_state?.v ?? null,
    ice_gathering_state: fold.reported.ice_gathering_state?.v ?? null,
    failure_reason: ending?.reason ?? null,
    failure_detail: ending?.detail ?? null,
    time_to_answer_ms: fold.answerAt === null ? null : Math.max(0, fold.answerAt - createdAt),
    time_to_connected_ms: fold.connectedAt === null ? null : Math.max(0, fold.connectedAt - createdAt),
    duration_ms: ending ? Math.max(0, ending.t - createdAt) : null,
    candidate_types_a: [...fold.a.candidateTypes],
    candidate_types_b: [...fold.b.candidateTypes],
    relay_used: fold.relayUsed,
    candidate_pairs: [...fold.candidatePairs],
    ice_restarts: Math.max(0, fold.offers - 1),
    rtt_ms: fold.stats.rtt_ms?.v ?? null,
    packet_loss_pct: fold.stats.packet_loss_pct?.v ?? null,
    jitter_ms: fold.stats.jitter_ms?.v ?? null,
    bitrate_kbps: fold.stats.bitrate_kbps?.v ?? null,
    message_counts: { ...fold.messageCounts },
    events: timeline.map(toTimelineEvent),
  };
}

/**
 * When the session's outcome is decided, if it is: the earliest of the deadlines that
 * passed, the failures reported and the departures, judged by whether the pair had
 * connected by then (section 2's rules).
 */
function endingOf(fold: SessionFold, createdAt: number, rules: SessionRules): Ending | null {
  const negotiationDeadline = createdAt + rules.negotiationTimeoutMs;
  const answeredInTime = fold.answerAt !== null && fold.answerAt <= negotiationDeadline;
  const iceDeadline = answeredInTime ? (fold.answerAt as number) + rules.iceTimeoutMs : null;
  const connectedAt =
    fold.connectedAt !== null && fold.connectedAt <= (iceDeadline ?? negotiationDeadline) ? fold.connectedAt : null;
  const endings: Ending[] = [];
  if (connectedAt === null) {
    if (!answeredInTime && fold.clock >= negotiationDeadline) {
      endings.push(deadline(negotiationDeadline, 'no-answer', `no answer within ${rules.negotiationTimeoutMs} ms`));
    }
    if (iceDeadline !== null && fold.clock >= iceDeadline) {
      endings.push(deadline(iceDeadline, 'ice-timeout', `not connected within ${rules.iceTimeoutMs} ms of the answer`));
    }
  }
  for (const failure of fold.failures) {
    // a `connected` report after a failure means an ICE restart recovered it
    if (fold.lastConnectedAt !== null && fold.lastConnectedAt > failure.t) continue;
    endings.push({ t: failure.t, state: 'failed', reason: failure.reason, detail: failure.detail });
  }
  if (connectedAt !== null && fold.closedAt !== null && fold.closedAt >= connectedAt) {
    endings.push({ t: fold.closedAt, state: 'closed', reason: null, detail: null });
  }
  for (const side of ['a', 'b'] as const) {
    const left = fold[side].left;
    if (!left) continue;
    if (connectedAt !== null && left.t >= connectedAt) endings.push({ t: left.t, state: 'closed', reason: null, detail: null });
    else {
      const reason = left.reason === 'node-lost' ? 'node-lost' : 'peer-left-before-connected';
      endings.push({ t: left.t, state: 'failed', reason, detail: `${side === 'a' ? 'A' : 'B'} left (${left.reason})` });
    }
  }
  if (endings.length === 0) return null;
  return endings.reduce((earliest, ending) => (ending.t < earliest.t ? ending : earliest));
}

function deadline(t: number, reason: 'no-answer' | 'ice-timeout', detail: string): Ending {
  return { t, state: 'failed', reason, detail: null, marker: { t, type: reason, by: 'server', detail } };
}

function liveState(fold: SessionFold, createdAt: number, rules: SessionRules): SessionConnectionState {
  if (fold.connectedAt !== null) return fold.link?.v === 'down' ? 'disconnected' : 'connected';
  if (fold.answerAt !== null && fold.answerAt <= createdAt + rules.negotiationTimeoutMs) return 'connecting';
  return 'new';
}

function withMarker(timeline: TimelineEntry[], marker: TimelineEntry): TimelineEntry[] {
  const merged = [...timeline];
  let index = merged.length;
  while (index > 0 && merged[index - 1].t > marker.t) index--;
  merged.splice(index, 0, marker);
  return merged.length > TIMELINE_MAX_EVENTS ? merged.slice(merged.length - TIMELINE_MAX_EVENTS) : merged;
}

function toTimelineEvent(entry: TimelineEntry): SessionTimelineEvent {
  const event: SessionTimelineEvent = { t: seconds(entry.t), type: entry.type, by: entry.by as Side | 'server' };
  if (entry.detail !== undefined) event.detail = entry.detail;
  return event;
}

function seconds(ms: number): number {
  return ms / 1000;
}
