import type { RoomId } from '@sg/schema';

/**
 * Rooms are spread over this many session event streams; indexers divide the shards
 * among themselves. Fixed, not configurable: gateways and indexers must agree, and
 * changing it moves rooms between streams. 16 lets up to 16 indexers share the load.
 */
export const SESSION_EVENT_SHARDS = 16;

/** The shard of a room: FNV-1a over its UTF-16 code units, stable across processes and versions. */
export function sessionEventShardOf(room: RoomId | string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < room.length; i++) {
    hash ^= room.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SESSION_EVENT_SHARDS;
}
