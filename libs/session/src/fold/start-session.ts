import type { PeerId } from '@sg/schema';
import type { SessionFoldEvent } from './session-fold-event';
import type { SessionFold, SideFold } from './session-fold';
import { sessionIdFor } from './session-id';

/**
 * A session starts with the first event about a pair. A = the peer that sent the first
 * offer; when another event of the pair arrives first (the answerer's node flushed
 * earlier), its sender is the answerer, so A is the peer it was addressed to. Null when
 * the event names no pair.
 */
export function startSession(event: SessionFoldEvent): SessionFold | null {
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
