import {
  PROBE_PEER_ID,
  reportsConnected,
  type NodeId,
  type PeerId,
  type PeerLeftReason,
  type SignalRelayedEvent,
  type StateReportedEvent,
  type StatsReportedEvent,
} from '@sg/schema';
import { candidateMarkers } from './classify-candidate';
import { cloneSessionFold } from './clone-session-fold';
import { compareNotes, compareSdps, compareText, compareTimed, compareTimelineEntries, insertInOrder, isEarlier, isLater } from './fold-order';
import type { PeerProfile, SessionFoldEvent } from './session-fold-event';
import type { SdpRecord, SessionFold, Side, SideFold, StateNote, TimelineEntry } from './session-fold';
import { TIMELINE_MAX_EVENTS } from './session-rules';
import { sessionIdFor } from './session-id';
import { isNotable, notesOf, reportsClosed } from './state-notes';
import { compareStreamPositions } from './stream-position';
import { describeCandidate, describeState, describeStats } from './timeline-details';

/**
 * Reports that may end a session (failed, with a reason, closed), the earliest kept. Those a
 * later `connected` report recovered are dropped as it arrives, so the bound is only reached
 * by a client that keeps reporting `failed` without recovering; beyond it the latest are
 * dropped, which never changes the earliest failure, the one that decides.
 */
export const NOTES_KEPT = 64;
/**
 * Offers and answers remembered to tell ICE restarts from renegotiations, the earliest by
 * time. An offer past them (a renegotiation loop) is counted as an ICE restart, as an offer
 * whose ICE credentials are unknown is: what came before it may not be remembered.
 */
export const SDPS_KEPT = 64;
/** Per side, the newest reported ICE states kept, to tell `dtls-failed` from `ice-failed`. */
export const ICE_STATES_KEPT = 32;
const CANDIDATE_PAIRS_KEPT = 16;

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
    case 'peer-left': {
      const side = sideOf(next, event.peer);
      if (!side) addToTimeline(next, departureEntry(event.t, 'server', event.peer, event.reason));
      else if (setDeparture(next, side, event.t, event.reason)) addToTimeline(next, departureEntry(event.t, side, event.peer, event.reason));
      break;
    }
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
    sdpLog: [],
    answerAt: null,
    connectedAt: null,
    lastConnectedAt: null,
    link: null,
    notes: [],
    reported: {},
    stats: {},
    relayUsed: null,
    candidatePairs: [],
    messageCounts: {},
    timeline: [],
  };
}

function emptySide(peer: PeerId): SideFold {
  return { peer, user: null, remoteAddr: null, userAgent: null, node: null, candidateTypes: [], left: null, iceStates: [] };
}

function withProfile(session: SessionFold, peer: PeerId, profile: PeerProfile): SessionFold {
  // the node's own peer is admitted by no one: its side keeps no user, address or user agent
  const side = peer === PROBE_PEER_ID ? null : sideOf(session, peer);
  if (!side) return session;
  const current = session[side];
  if (current.user === profile.user && current.remoteAddr === profile.remoteAddr && current.userAgent === profile.userAgent && current.node === profile.node) {
    return session;
  }
  return { ...session, [side]: { ...current, user: profile.user, remoteAddr: profile.remoteAddr, userAgent: profile.userAgent, node: profile.node } };
}

function withDeparture(session: SessionFold, peer: PeerId, t: number, reason: PeerLeftReason): SessionFold {
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

/**
 * A peer leaves once; the same departure reaches a session as an event or, read before the
 * session existed, from the peer's record, and must count once either way. Returns whether it
 * was new (the earliest, should a peer ever be said to leave twice).
 */
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

function applySignal(session: SessionFold, event: SignalRelayedEvent): void {
  let by = sideOf(session, event.from);
  if (!by) return;
  if (event.signal === 'offer' && by === 'b' && sendsFirstOffer(session, event)) {
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
      addSdp(session, 'offer', event);
      session.offerAt = session.offerAt === null ? event.t : Math.min(session.offerAt, event.t);
      session.offers += 1;
      break;
    case 'answer':
      addSdp(session, 'answer', event);
      session.answerAt = session.answerAt === null ? event.t : Math.min(session.answerAt, event.t);
      break;
    case 'candidate':
      detail = describeCandidate(event.candidate ?? '');
      for (const marker of candidateMarkers(event.candidate ?? '')) addUnique(session[by].candidateTypes, marker);
      break;
  }
  const ufrag = event.signal === 'offer' && event.iceUfrag !== undefined ? { ufrag: event.iceUfrag } : {};
  addToTimeline(session, { t: event.t, type: event.signal, by, ...(detail ? { detail } : {}), ...ufrag });
}

/** Side B's offer is the session's first: earlier than A's, or as early and B's peer id sorts first (glare within a millisecond). */
function sendsFirstOffer(session: SessionFold, offer: SignalRelayedEvent): boolean {
  return session.offerAt === null || offer.t < session.offerAt || (offer.t === session.offerAt && offer.from < session.a.peer);
}

/**
 * Counts an offer and remembers the ICE credentials of offers and answers: whether a later
 * offer is an ICE restart or a renegotiation depends on what came before it by time, which
 * may be read after it, so it is decided when the document is rendered (`classifyOffers`).
 */
function addSdp(session: SessionFold, signal: SdpRecord['signal'], event: SignalRelayedEvent): void {
  if (signal === 'answer' && event.iceUfrag === undefined) return;
  let log = session.sdpLog;
  if (!log) {
    // a fold written before offers were remembered: its first offer stands in, credentials unknown
    log = session.offerAt !== null ? [{ t: session.offerAt, signal: 'offer', from: session.a.peer, ufrag: null }] : [];
  }
  const record: SdpRecord = { t: event.t, signal, from: event.from, ufrag: event.iceUfrag ?? null };
  insertInOrder(log, record, compareSdps);
  if (log.length > SDPS_KEPT) log.splice(SDPS_KEPT);
  session.sdpLog = log;
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
  if (local !== undefined && remote !== undefined) {
    const protocol = report.protocol ?? 'udp';
    const localProtocol = local === 'relay' && report.relayProtocol ? report.relayProtocol : protocol;
    addUnique(session.candidatePairs, `${local}/${localProtocol} -> ${remote}/${protocol}`);
    if (session.candidatePairs.length > CANDIDATE_PAIRS_KEPT) session.candidatePairs.splice(CANDIDATE_PAIRS_KEPT);
  }
  addToTimeline(session, { t: event.t, type: 'stats', by, detail: describeStats(event) });
}

/** Exchanges sides A and B in place, with every record of who did what. */
function swapSides(session: SessionFold): void {
  const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');
  [session.a, session.b] = [session.b, session.a];
  session.timeline = session.timeline.map((entry) => (entry.by === 'server' ? entry : { ...entry, by: other(entry.by) })).sort(compareTimelineEntries);
  if (session.notes) session.notes = session.notes.map((note) => ({ ...note, by: other(note.by) })).sort(compareNotes);
  if (session.failures) session.failures = session.failures.map((failure) => ({ ...failure, by: other(failure.by) }));
}

export function sideOf(session: SessionFold, peer: PeerId): Side | null {
  if (peer === session.a.peer) return 'a';
  if (peer === session.b.peer) return 'b';
  return null;
}

/** The side's earliest event names its node: the node's own peer has no admission to say it. */
function noteNode(session: SessionFold, side: Side, event: { t: number; node: NodeId }): void {
  if (isEarlier(event.t, event.node, session[side].firstNode)) session[side].firstNode = { t: event.t, v: event.node };
}

function count(session: SessionFold, type: string): void {
  session.messageCounts[type] = (session.messageCounts[type] ?? 0) + 1;
}

function setLink(session: SessionFold, t: number, v: 'up' | 'down'): void {
  if (isLater(t, v, session.link)) session.link = { t, v };
}

function setReported(session: SessionFold, field: keyof SessionFold['reported'], t: number, v: string | undefined): void {
  if (v !== undefined && isLater(t, v, session.reported[field])) session.reported[field] = { t, v };
}

function setStat(session: SessionFold, field: keyof SessionFold['stats'], t: number, v: number | undefined): void {
  if (v !== undefined && isLater(t, v, session.stats[field])) session.stats[field] = { t, v };
}

/** Adds to a sorted set of strings. */
function addUnique(values: string[], value: string): void {
  if (!values.includes(value)) insertInOrder(values, value, compareText);
}

/** Inserts in order (events of two nodes interleave late); drops the oldest beyond the cap. */
function addToTimeline(session: SessionFold, entry: TimelineEntry): void {
  const timeline = session.timeline;
  insertInOrder(timeline, entry, compareTimelineEntries);
  if (timeline.length > TIMELINE_MAX_EVENTS) timeline.splice(0, timeline.length - TIMELINE_MAX_EVENTS);
}
