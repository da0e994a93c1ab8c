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
  /** Stream of SessionEvent batches for the indexer (durable, consumer group). */
  sessionEvents: 'sg:session-events',
  /** Consumer group of the indexer on the session events stream. */
  sessionEventsGroup: 'indexer',
} as const;

/** Separates room and peer id in node-peers entries; neither can contain it. */
export const MEMBER_ENTRY_SEPARATOR = '\x1f';
