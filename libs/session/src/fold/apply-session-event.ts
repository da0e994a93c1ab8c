import { reportsConnected, type PeerId, type PeerLeftReason, type SignalRelayedEvent, type StateReportedEvent, type StatsReportedEvent } from '@sg/schema';
import { candidateMarkers, classifyCandidate } from './classify-candidate';
import { cloneSessionFold } from './clone-session-fold';
import type { SessionFoldEvent } from './session-fold-event';
import type { FailureReport, SessionFold, Side, SideFold, TimelineEntry } from './session-fold';
import { TIMELINE_MAX_EVENTS } from './session-rules';
import { sessionIdFor } from './session-id';
import { compareStreamPositions } from './stream-position';

/** Failure reports kept: enough to see a recovery and a relapse, bounded against a chatty client. */
const FAILURES_KEPT = 8;
const CANDIDATE_PAIRS_KEPT = 16;

/**
 * Folds one event into a session (PROTOCOL section 2). Pure: returns a new fold and
 * never changes its input. Idempotent: an event at or before the position already
 * applied is a redelivery and changes nothing; profile and clock events are idempotent
 * by nature. Returns null when there is no session and the event cannot start one
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
    case 'peer-left': {
      const side = sideOf(next, event.peer);
      if (side && !next[side].left) next[side].left = { t: event.t, reason: event.reason };
      addToTimeline(next, departureEntry(event.t, side ?? 'server', event.peer, event.reason));
      break;
    }
    case 'peer-resumed': {
      // the side came back on a new socket (maybe another node): the session goes on
      const side = sideOf(next, event.peer);
      if (side) next[side].node = event.node;
      addToTimeline(next, { t: event.t, type: 'peer-resumed', by: side ?? 'server', detail: `${event.previousNode} -> ${event.node}` });
      break;
    }
  }
  return next;
}

/**
 * A session starts with the first event about a pair. A = the peer that sent the first
 * offer; when another event of the pair arrives first (the answerer's node flushed
 * earlier), its sender is the answerer, so A is the peer it was addressed to.
 */
function startSession(event: SessionFoldEvent): SessionFold | null {
  let a: PeerId;
  let b: PeerId;
  if (event.kind === 'signal') [a, b] = event.signal === 'offer' ? [event.from, event.to] : [event.to, event.from];
  else if ((event.kind === 'state' || event.kind === 'stats') && event.to !== undefined && event.to !== event.peer) [a, b] = [event.to, event.peer];
  else return null;
  return {
    sessionId: sessionIdFor(event.room, a, b),
    room: event.room,
    position: null,
    a: emptySide(a),
    b: emptySide(b),
    firstAt: event.t,
    clock: event.t,
    lastEventAt: event.t,
    offerAt: null,
    offers: 0,
    answerAt: null,
    connectedAt: null,
    lastConnectedAt: null,
    link: null,
    closedAt: null,
    failures: [],
    reported: {},
    stats: {},
    relayUsed: null,
    candidatePairs: [],
    messageCounts: {},
    timeline: [],
  };
}

function emptySide(peer: PeerId): SideFold {
  return { peer, user: null, remoteAddr: null, userAgent: null, node: null, candidateTypes: [], left: null };
}

function withProfile(session: SessionFold, peer: PeerId, profile: { user: string | null; remoteAddr: string; userAgent: string | null; node: SideFold['node'] }): SessionFold {
  const side = sideOf(session, peer);
  if (!side) return session;
  const current = session[side];
  if (current.user === profile.user && current.remoteAddr === profile.remoteAddr && current.userAgent === profile.userAgent && current.node === profile.node) {
    return session;
  }
  return { ...session, [side]: { ...current, user: profile.user, remoteAddr: profile.remoteAddr, userAgent: profile.userAgent, node: profile.node } };
}

function withDeparture(session: SessionFold, peer: PeerId, t: number, reason: PeerLeftReason): SessionFold {
  const side = sideOf(session, peer);
  if (!side || session[side].left) return session;
  const next = cloneSessionFold(session);
  next[side].left = { t, reason };
  next.clock = Math.max(next.clock, t);
  next.lastEventAt = Math.max(next.lastEventAt, t);
  addToTimeline(next, departureEntry(t, side, peer, reason));
  return next;
}

/** A departure in the timeline; a kick is the server's act (PROTOCOL section 3: type `kicked`, by `server`, naming the peer). */
function departureEntry(t: number, side: Side | 'server', peer: PeerId, reason: PeerLeftReason): TimelineEntry {
  return reason === 'kicked' ? { t, type: 'kicked', by: 'server', detail: peer } : { t, type: 'peer-left', by: side, detail: reason };
}

function applySignal(session: SessionFold, event: SignalRelayedEvent): void {
  let by = sideOf(session, event.from);
  if (!by) return;
  if (event.signal === 'offer' && by === 'b' && (session.offerAt === null || event.t < session.offerAt)) {
    // A is the peer that sent the first offer; a report its node flushed before the offer
    // (a browser reports have-local-offer before sending it) may have started the session the other way round
    swapSides(session);
    by = 'a';
  }
  noteNode(session, by, event);
  count(session, event.signal);
  let detail: string | undefined;
  switch (event.signal) {
    case 'offer':
      // a later offer between the same peers, either way, is an ICE restart (or renegotiation)
      if (session.offerAt !== null && event.t > session.offerAt) detail = 'ice restart';
      session.offerAt = session.offerAt === null ? event.t : Math.min(session.offerAt, event.t);
      session.offers += 1;
      break;
    case 'answer':
      session.answerAt = session.answerAt === null ? event.t : Math.min(session.answerAt, event.t);
      break;
    case 'candidate':
      detail = describeCandidate(event.candidate ?? '');
      for (const marker of candidateMarkers(event.candidate ?? '')) addUnique(session[by].candidateTypes, marker);
      break;
  }
  addToTimeline(session, { t: event.t, type: event.signal, by, ...(detail ? { detail } : {}) });
}

function applyState(session: SessionFold, event: StateReportedEvent): void {
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
  const failed = connectionState === 'failed' || iceConnectionState === 'failed';
  // a `reason` is the client telling us why it gave up; a bare `failed` is ICE failing
  if (failed || (event.reason !== undefined && (connectionState === 'closed' || connectionState === undefined))) {
    addFailure(session, { t: event.t, by, reason: event.reason !== undefined ? 'client-reported' : 'ice-failed', detail: event.reason ?? null });
  } else if (connectionState === 'closed') {
    session.closedAt = session.closedAt === null ? event.t : Math.min(session.closedAt, event.t);
  }
  setReported(session, 'ice_connection_state', event.t, iceConnectionState);
  setReported(session, 'signaling_state', event.t, event.signalingState);
  setReported(session, 'ice_gathering_state', event.t, event.iceGatheringState);
  addToTimeline(session, { t: event.t, type: 'state', by, detail: describeState(event) });
}

function applyStats(session: SessionFold, event: StatsReportedEvent): void {
  const by = sideOf(session, event.peer);
  if (!by) return;
  noteNode(session, by, event);
  count(session, 'stats');
  const { report } = event;
  setStat(session, 'rtt_ms', event.t, report.rttMs);
  setStat(session, 'packet_loss_pct', event.t, report.packetLossPct);
  setStat(session, 'jitter_ms', event.t, report.jitterMs);
  setStat(session, 'bitrate_kbps', event.t, report.bitrateKbps);
  const local = report.localCandidateType;
  const remote = report.remoteCandidateType;
  if (local !== undefined || remote !== undefined) {
    // sticky: a call that went through a relay at any point used one
    session.relayUsed = session.relayUsed === true || local === 'relay' || remote === 'relay';
  }
  if (local !== undefined && remote !== undefined && session.candidatePairs.length < CANDIDATE_PAIRS_KEPT) {
    const protocol = report.protocol ?? 'udp';
    const localProtocol = local === 'relay' && report.relayProtocol ? report.relayProtocol : protocol;
    addUnique(session.candidatePairs, `${local}/${localProtocol} -> ${remote}/${protocol}`);
  }
  addToTimeline(session, { t: event.t, type: 'stats', by, detail: describeStats(event) });
}

/** Exchanges sides A and B in place, with every record of who did what. */
function swapSides(session: SessionFold): void {
  const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');
  [session.a, session.b] = [session.b, session.a];
  session.timeline = session.timeline.map((entry) => (entry.by === 'server' ? entry : { ...entry, by: other(entry.by as Side) }));
  session.failures = session.failures.map((failure) => ({ ...failure, by: other(failure.by) }));
}

export function sideOf(session: SessionFold, peer: PeerId): Side | null {
  if (peer === session.a.peer) return 'a';
  if (peer === session.b.peer) return 'b';
  return null;
}

function noteNode(session: SessionFold, side: Side, event: { node: SideFold['node'] }): void {
  if (session[side].node === null) session[side].node = event.node;
}

function count(session: SessionFold, type: string): void {
  session.messageCounts[type] = (session.messageCounts[type] ?? 0) + 1;
}

function setLink(session: SessionFold, t: number, v: 'up' | 'down'): void {
  if (!session.link || t >= session.link.t) session.link = { t, v };
}

function setReported(session: SessionFold, field: keyof SessionFold['reported'], t: number, v: string | undefined): void {
  const current = session.reported[field];
  if (v !== undefined && (!current || t >= current.t)) session.reported[field] = { t, v };
}

function setStat(session: SessionFold, field: keyof SessionFold['stats'], t: number, v: number | undefined): void {
  const current = session.stats[field];
  if (v !== undefined && (!current || t >= current.t)) session.stats[field] = { t, v };
}

function addFailure(session: SessionFold, failure: FailureReport): void {
  session.failures.push(failure);
  session.failures.sort((x, y) => x.t - y.t);
  if (session.failures.length > FAILURES_KEPT) session.failures.splice(1, session.failures.length - FAILURES_KEPT);
}

function addUnique(values: string[], value: string): void {
  if (!values.includes(value)) values.push(value);
}

/** Inserts in time order (events of two nodes interleave late); drops the oldest beyond the cap. */
function addToTimeline(session: SessionFold, entry: TimelineEntry): void {
  const timeline = session.timeline;
  let index = timeline.length;
  while (index > 0 && timeline[index - 1].t > entry.t) index--;
  timeline.splice(index, 0, entry);
  if (timeline.length > TIMELINE_MAX_EVENTS) timeline.splice(0, timeline.length - TIMELINE_MAX_EVENTS);
}

function describeCandidate(line: string): string {
  if (line.trim() === '') return 'end-of-candidates';
  const candidate = classifyCandidate(line);
  return [candidate.kind ?? 'unknown', candidate.transport, candidate.mdns ? 'mdns' : null].filter(Boolean).join(' ');
}

function describeState(event: StateReportedEvent): string {
  const parts: string[] = [];
  if (event.connectionState) parts.push(`connection ${event.connectionState}`);
  if (event.iceConnectionState) parts.push(`ice ${event.iceConnectionState}`);
  if (event.signalingState) parts.push(`signaling ${event.signalingState}`);
  if (event.iceGatheringState) parts.push(`gathering ${event.iceGatheringState}`);
  if (event.reason) parts.push(`reason: ${event.reason}`);
  return parts.join(', ');
}

function describeStats(event: StatsReportedEvent): string {
  const r = event.report;
  const parts: string[] = [];
  if (r.rttMs !== undefined) parts.push(`rtt ${r.rttMs} ms`);
  if (r.packetLossPct !== undefined) parts.push(`loss ${r.packetLossPct}%`);
  if (r.jitterMs !== undefined) parts.push(`jitter ${r.jitterMs} ms`);
  if (r.bitrateKbps !== undefined) parts.push(`${r.bitrateKbps} kbps`);
  if (r.localCandidateType !== undefined || r.remoteCandidateType !== undefined) {
    parts.push(`${r.localCandidateType ?? '?'} -> ${r.remoteCandidateType ?? '?'}${r.protocol ? ` (${r.protocol})` : ''}`);
  }
  return parts.join(', ');
}
