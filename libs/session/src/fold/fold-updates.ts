import type { NodeId, PeerId } from '@sg/schema';
import { compareText, compareTimelineEntries, insertInOrder, isEarlier } from './fold-order';
import type { SessionFold, Side, TimelineEntry } from './session-fold';
import { TIMELINE_MAX_EVENTS } from './session-rules';

/*
 * The in-place updates every kind of event makes to a fold it owns (a clone `applySessionEvent`
 * made): each keeps its list ordered and bounded so that the fold stays order-free.
 */

/** Which side of the session `peer` is, or null when the peer is not one of its two. */
export function sideOf(session: SessionFold, peer: PeerId): Side | null {
  if (peer === session.a.peer) return 'a';
  if (peer === session.b.peer) return 'b';
  return null;
}

/** The side's earliest event names its node: the node's own peer has no admission to say it. */
export function noteNode(session: SessionFold, side: Side, event: { t: number; node: NodeId }): void {
  if (isEarlier(event.t, event.node, session[side].firstNode)) session[side].firstNode = { t: event.t, v: event.node };
}

export function count(session: SessionFold, type: string): void {
  session.messageCounts[type] = (session.messageCounts[type] ?? 0) + 1;
}

/** Adds to a sorted set of strings. */
export function addUnique(values: string[], value: string): void {
  if (!values.includes(value)) insertInOrder(values, value, compareText);
}

/** Inserts in order (events of two nodes interleave late); drops the oldest beyond the cap. */
export function addToTimeline(session: SessionFold, entry: TimelineEntry): void {
  const timeline = session.timeline;
  insertInOrder(timeline, entry, compareTimelineEntries);
  if (timeline.length > TIMELINE_MAX_EVENTS) timeline.splice(0, timeline.length - TIMELINE_MAX_EVENTS);
}
