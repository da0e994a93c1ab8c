import type { SessionFold, SideFold } from './session-fold';

/**
 * A copy of a fold that `applySessionEvent` may change without touching the original.
 * It copies the fold once per event to stay pure; `structuredClone` made that the
 * indexer's largest cost (Node 20 runs it through the message-port serializer).
 * Containers are copied; their elements that are objects (timeline entries, notes, offers,
 * timed values) are shared, because the fold only ever replaces them, never edits them.
 * Keep it in step with `SessionFold`: its spec checks every container is a copy.
 */
export function cloneSessionFold(fold: SessionFold): SessionFold {
  return {
    ...fold,
    a: cloneSide(fold.a),
    b: cloneSide(fold.b),
    ...(fold.sdpLog && { sdpLog: [...fold.sdpLog] }),
    ...(fold.notes && { notes: [...fold.notes] }),
    ...(fold.failures && { failures: [...fold.failures] }),
    reported: { ...fold.reported },
    stats: { ...fold.stats },
    candidatePairs: [...fold.candidatePairs],
    messageCounts: { ...fold.messageCounts },
    timeline: [...fold.timeline],
    ...(fold.seen && { seen: { ...fold.seen } }),
  };
}

function cloneSide(side: SideFold): SideFold {
  return { ...side, candidateTypes: [...side.candidateTypes], ...(side.iceStates && { iceStates: [...side.iceStates] }) };
}
