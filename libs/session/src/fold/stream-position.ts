import type { StreamPosition } from './session-fold-event';

/** The position of event `index` of Redis stream entry `entryId` (`<ms>-<seq>`). */
export function streamPosition(entryId: string, index: number): StreamPosition {
  return `${entryId}/${index}`;
}

/** Orders positions as the stream does: entry id (ms, then sequence), then index. */
export function compareStreamPositions(left: StreamPosition, right: StreamPosition): number {
  const a = parts(left);
  const b = parts(right);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

function parts(position: StreamPosition): [bigint, bigint, bigint] {
  const match = /^(\d+)-(\d+)\/(\d+)$/.exec(position);
  if (!match) throw new RangeError(`not a stream position: ${position}`);
  return [BigInt(match[1]), BigInt(match[2]), BigInt(match[3])];
}
