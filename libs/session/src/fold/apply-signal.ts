import type { SignalRelayedEvent } from '@sg/schema';
import { candidateMarkers } from './classify-candidate';
import { compareNotes, compareSdps, compareTimelineEntries, insertInOrder } from './fold-order';
import { addToTimeline, addUnique, count, noteNode, sideOf } from './fold-updates';
import type { SdpRecord, SessionFold, Side } from './session-fold';
import { describeCandidate } from './timeline-details';

/**
 * Offers and answers remembered to tell ICE restarts from renegotiations, the earliest by
 * time. An offer past them (a renegotiation loop) is counted as an ICE restart, as an offer
 * whose ICE credentials are unknown is: what came before it may not be remembered.
 */
export const SDPS_KEPT = 64;

/** A relayed offer, answer or candidate, on a fold `applySessionEvent` owns. */
export function applySignal(session: SessionFold, event: SignalRelayedEvent): void {
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

/** Exchanges sides A and B in place, with every record of who did what. */
function swapSides(session: SessionFold): void {
  const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');
  [session.a, session.b] = [session.b, session.a];
  session.timeline = session.timeline.map((entry) => (entry.by === 'server' ? entry : { ...entry, by: other(entry.by) })).sort(compareTimelineEntries);
  if (session.notes) session.notes = session.notes.map((note) => ({ ...note, by: other(note.by) })).sort(compareNotes);
  if (session.failures) session.failures = session.failures.map((failure) => ({ ...failure, by: other(failure.by) }));
}
