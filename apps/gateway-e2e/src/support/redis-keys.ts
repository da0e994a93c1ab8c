/**
 * The Redis names the end-to-end suites look at, as the product writes them
 * (libs/cluster/src/redis-keys.ts; these suites may not import the infra lib): a wrong
 * name here makes the suite that reads it wait in vain, so they cannot drift apart
 * unnoticed. Keys are read by name, never by `KEYS` patterns, which works on a Redis
 * Cluster as on one Redis.
 */
export const E2E_REDIS_KEYS = {
  room: (room: string) => `sg:room:{${room}}`,
  roomHeld: (room: string) => `sg:room-held:{${room}}`,
  heldPeers: 'sg:held-peers',
  nodes: 'sg:nodes',
  indexerShardLease: (shard: number) => `sg:indexer:lease:{ev${shard}}`,
  indexerPeer: (room: string, peer: string) => `sg:indexer:peer:{ev${sessionEventShardOf(room)}}:${room}/${peer}`,
  rateLimitPattern: (key: string) => `sg:rate:{${key}}:*`,
} as const;

/** Rooms are spread over this many session event streams (SESSION_EVENT_SHARDS). */
export const SESSION_EVENT_SHARDS = 16;

/** Every session event stream, one per shard. */
export function sessionEventStreams(): string[] {
  return Array.from({ length: SESSION_EVENT_SHARDS }, (_, shard) => `sg:session-events:{ev${shard}}`);
}

/** The shard of a room: FNV-1a over its UTF-16 code units (sessionEventShardOf). */
export function sessionEventShardOf(room: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < room.length; i++) {
    hash ^= room.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SESSION_EVENT_SHARDS;
}
