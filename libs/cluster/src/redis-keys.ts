import type { NodeId, RoomId } from '@sg/schema';

/**
 * Every Redis key, channel and stream name of the product, in one place.
 * One Redis (not Redis Cluster): the Lua scripts touch keys of several rooms.
 */
export const REDIS_KEYS = {
  /** HASH peerId -> RoomMember JSON. */
  room: (room: RoomId | string) => `sg:room:${room}`,
  roomPrefix: 'sg:room:',
  /** SET of rooms with at least one member. */
  rooms: 'sg:rooms',
  /** SET of `room<US>peerId` hosted by a node, so survivors can reap them. */
  nodePeers: (node: NodeId | string) => `sg:node-peers:${node}`,
  /** HASH nodeId -> NodeStatus JSON: every registered node. */
  nodes: 'sg:nodes',
  /** STRING with a TTL: present while the node heartbeats. */
  nodeAlive: (node: NodeId | string) => `sg:node-alive:${node}`,
  nodeAlivePrefix: 'sg:node-alive:',
  /** Pub/sub channel of one node (per-node fan-out, docs/architecture.md). */
  nodeChannel: (node: NodeId | string) => `sg:node-bus:${node}`,
  /**
   * Stream of SessionEvent batches of one shard of rooms (`sessionEventShardOf`): each
   * shard is read by one indexer at a time, so a session has a single writer.
   */
  sessionEvents: (shard: number) => `sg:session-events:${shard}`,
  /** Consumer group of the indexers on every session events stream. */
  sessionEventsGroup: 'indexer',
  /** Stream of events the indexer could not read: `{stream, id, index, error, event}`. */
  sessionEventsDeadLetter: 'sg:session-events:dead-letter',
  /** STRING with a TTL: the indexer instance that holds the lease on a shard. */
  indexerShardLease: (shard: number) => `sg:indexer:lease:${shard}`,
  /** ZSET instance -> last heartbeat (Unix ms): live indexer instances, to share shards fairly. */
  indexers: 'sg:indexer:instances',
  /** STRING with a TTL: the indexer's PeerRecord JSON of a peer (profile, partners). */
  indexerPeer: (peerKey: string) => `sg:indexer:peer:${peerKey}`,
  /** ZSET sessionId -> Unix ms when its no-answer or ICE deadline falls, per shard. */
  sessionDeadlines: (shard: number) => `sg:indexer:deadlines:${shard}`,
} as const;

/** Separates room and peer id in node-peers entries; neither can contain it. */
export const MEMBER_ENTRY_SEPARATOR = '\x1f';
