import { PROBE_PEER_ID, traceIdOf, type SessionConnectionState, type SessionDocument, type SessionKind, type SessionTimelineEvent } from '@sg/schema';
import { classifyOffers, offerKey, type OfferCounts } from './classify-offers';
import { decideSessionEnding } from './decide-session-ending';
import { compareText, compareTimelineEntries, insertInOrder } from './fold-order';
import type { SessionFold, SideFold, TimelineEntry } from './session-fold';
import { DEFAULT_SESSION_RULES, SessionRules, TIMELINE_MAX_EVENTS } from './session-rules';

/**
 * The session document of PROTOCOL section 2, rendered from a fold. The rules are
 * decided on times, not on arrival order (`decideSessionEnding`): the earliest ending
 * wins, so a late-arriving event that happened before a deadline still counts, and one
 * after it does not; a failure a later `connected` report recovered from ends nothing.
 */
export function renderSessionDocument(fold: SessionFold, rules: SessionRules = DEFAULT_SESSION_RULES): SessionDocument {
  const createdAt = fold.offerAt ?? fold.firstAt;
  const kind: SessionKind = fold.b.peer === PROBE_PEER_ID ? 'probe' : 'call';
  const { ending, markers } = decideSessionEnding(fold, createdAt, rules, kind);
  const offers = classifyOffers(fold);
  const updatedAt = Math.max(fold.lastEventAt, ending?.t ?? 0);
  return {
    session_id: fold.sessionId,
    room_id: fold.room,
    kind,
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
    client_a_node: nodeOf(fold.a),
    client_b_node: nodeOf(fold.b),
    connection_state: ending ? ending.state : liveState(fold, createdAt, rules),
    ice_connection_state: fold.reported.ice_connection_state?.v ?? null,
    signaling_state: fold.reported.signaling_state?.v ?? null,
    ice_gathering_state: fold.reported.ice_gathering_state?.v ?? null,
    failure_reason: ending?.reason ?? null,
    failure_detail: ending?.detail ?? null,
    time_to_answer_ms: fold.answerAt === null ? null : Math.max(0, fold.answerAt - createdAt),
    time_to_connected_ms: fold.connectedAt === null ? null : Math.max(0, fold.connectedAt - createdAt),
    duration_ms: ending ? Math.max(0, ending.t - createdAt) : null,
    candidate_types_a: sorted(fold.a.candidateTypes),
    candidate_types_b: sorted(fold.b.candidateTypes),
    relay_used: fold.relayUsed,
    candidate_pairs: sorted(fold.candidatePairs),
    ice_restarts: offers.iceRestarts,
    renegotiations: offers.renegotiations,
    end_reason: ending?.endReason ?? null,
    rtt_ms: fold.stats.rtt_ms?.v ?? null,
    packet_loss_pct: fold.stats.packet_loss_pct?.v ?? null,
    jitter_ms: fold.stats.jitter_ms?.v ?? null,
    bitrate_kbps: fold.stats.bitrate_kbps?.v ?? null,
    message_counts: { ...fold.messageCounts },
    trace_id: fold.trace ? traceIdOf(fold.trace.v) : null,
    events: renderTimeline(fold, markers, offers, kind, createdAt),
  };
}

/**
 * Where the side is: the node it last resumed on, else the node that admitted it, else the
 * node of its earliest event (the probe peer is admitted by no one: its events say its node).
 */
function nodeOf(side: SideFold): SideFold['node'] {
  return side.resumedNode?.v ?? side.node ?? side.firstNode?.v ?? null;
}

function liveState(fold: SessionFold, createdAt: number, rules: SessionRules): SessionConnectionState {
  if (fold.connectedAt !== null) return fold.link?.v === 'down' ? 'disconnected' : 'connected';
  if (fold.answerAt !== null && fold.answerAt <= createdAt + rules.negotiationTimeoutMs) return 'connecting';
  return 'new';
}

/**
 * The timeline: the fold's, with the deadlines that fired, each later offer described as an
 * `ice restart` or a `renegotiation`, and in a probe session the probe's side (B) shown as
 * `server`: it is the gateway's own peer (PROTOCOL section 1).
 */
function renderTimeline(fold: SessionFold, markers: readonly TimelineEntry[], offers: OfferCounts, kind: SessionKind, createdAt: number): SessionTimelineEvent[] {
  let timeline = fold.timeline;
  if (markers.length > 0) {
    timeline = [...timeline];
    for (const marker of markers) insertInOrder(timeline, marker, compareTimelineEntries);
    if (timeline.length > TIMELINE_MAX_EVENTS) timeline = timeline.slice(timeline.length - TIMELINE_MAX_EVENTS);
  }
  const labels = offers.labels && new Map([...offers.labels].map(([key, queue]) => [key, [...queue]]));
  return timeline.map((entry) => {
    const by = entry.by === 'b' && kind === 'probe' ? 'server' : entry.by;
    const event: SessionTimelineEvent = { t: seconds(entry.t), type: entry.type, by };
    const detail = entry.type === 'offer' && entry.by !== 'server' ? offerDetail(entry, fold[entry.by].peer, labels, createdAt) : entry.detail;
    if (detail !== undefined) event.detail = detail;
    return event;
  });
}

function offerDetail(entry: TimelineEntry, from: SideFold['peer'], labels: OfferCounts['labels'], createdAt: number): string | undefined {
  // a fold written before offers were remembered described its offers when they were read
  if (!labels) return entry.detail;
  const label = labels.get(offerKey(entry.t, from, entry.ufrag))?.shift();
  if (label !== undefined) return label ?? undefined;
  // past the offers remembered (or an older fold's offer): as counted, an ICE restart
  return entry.detail ?? (entry.t > createdAt ? 'ice restart' : undefined);
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort(compareText);
}

function seconds(ms: number): number {
  return ms / 1000;
}
