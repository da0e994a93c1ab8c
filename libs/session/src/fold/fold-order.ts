import type { SdpRecord, StateNote, Timed, TimelineEntry } from './session-fold';

/*
 * The fold's lists are ordered by time and then by content, never by arrival: two events at
 * the same millisecond (two nodes' clocks) then sort the same way whichever was read first,
 * and a bounded list that keeps one end of that order keeps the same elements.
 */

export function compareText(x: string | undefined | null, y: string | undefined | null): number {
  const left = x ?? '';
  const right = y ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whether a value reported at `t` replaces `current` as the latest: later, or as late and greater. */
export function isLater<V extends string | number>(t: number, v: V, current: Timed<V> | null | undefined): boolean {
  return !current || t > current.t || (t === current.t && v > current.v);
}

/** Whether a value reported at `t` replaces `current` as the earliest: earlier, or as early and smaller. */
export function isEarlier<V extends string | number>(t: number, v: V, current: Timed<V> | null | undefined): boolean {
  return !current || t < current.t || (t === current.t && v < current.v);
}

export function compareTimed<V extends string | number>(x: Timed<V>, y: Timed<V>): number {
  return x.t - y.t || (x.v < y.v ? -1 : x.v > y.v ? 1 : 0);
}

/** The timeline detail of a `candidate` signal with an empty line. */
export const END_OF_CANDIDATES = 'end-of-candidates';

/**
 * Within one millisecond, entries follow the protocol's order: a side's offer or answer before
 * the candidates it trickles with it (its end-of-candidates after them), reports after those,
 * departures last.
 */
const TIMELINE_TYPE_ORDER: Readonly<Record<string, number>> = {
  offer: 0,
  answer: 1,
  candidate: 2,
  state: 3,
  stats: 4,
  'peer-resumed': 5,
  'no-answer': 6,
  'ice-timeout': 6,
  'peer-left': 7,
  kicked: 7,
};

function typeOrder(entry: TimelineEntry): number {
  const order = Object.hasOwn(TIMELINE_TYPE_ORDER, entry.type) ? TIMELINE_TYPE_ORDER[entry.type] : 8;
  return entry.type === 'candidate' && entry.detail === END_OF_CANDIDATES ? order + 0.5 : order;
}

export function compareTimelineEntries(x: TimelineEntry, y: TimelineEntry): number {
  return (
    x.t - y.t ||
    typeOrder(x) - typeOrder(y) ||
    compareText(x.type, y.type) ||
    compareText(x.by, y.by) ||
    compareText(x.detail, y.detail) ||
    compareText(x.ufrag, y.ufrag)
  );
}

export function compareNotes(x: StateNote, y: StateNote): number {
  return (
    x.t - y.t ||
    compareText(x.by, y.by) ||
    compareText(x.connectionState, y.connectionState) ||
    compareText(x.iceConnectionState, y.iceConnectionState) ||
    compareText(x.reason, y.reason)
  );
}

export function compareSdps(x: SdpRecord, y: SdpRecord): number {
  return x.t - y.t || compareText(x.signal, y.signal) || compareText(x.from, y.from) || compareText(x.ufrag, y.ufrag);
}

/** Inserts `item` after every element that does not sort after it (the list is sorted by `compare`). */
export function insertInOrder<T>(list: T[], item: T, compare: (x: T, y: T) => number): void {
  let index = list.length;
  while (index > 0 && compare(list[index - 1], item) > 0) index--;
  list.splice(index, 0, item);
}
