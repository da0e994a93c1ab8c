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
  nodePeersPrefix: 'sg:node-peers:',
  /**
   * STRING `room<US>peerId`, keyed by the SHA-256 of a resume token (never the token itself,
   * so a Redis dump holds nothing usable). No TTL while the peer's socket is up; the
   * resume window's TTL once it is lost. Taken once by a resume.
   */
  resumeToken: (tokenHash: string) => `sg:resume-token:${tokenHash}`,
  resumeTokenPrefix: 'sg:resume-token:',
  /** HASH peerId -> token hash of the connection that holds the peer's seat now. */
  roomResumeTokens: (room: RoomId | string) => `sg:room-resume:${room}`,
  roomResumeTokensPrefix: 'sg:room-resume:',
  /** ZSET `room<US>peerId` -> Unix ms (Redis clock) when a lost peer's resume window ends. */
  heldPeers: 'sg:held-peers',
  /** HASH `room<US>peerId` -> the `peer-left` reason due when its window ends (`timeout`, `node-lost`). */
  heldPeerReasons: 'sg:held-peer-reasons',
  /** LIST of frames for a lost peer, oldest first, bounded, with a TTL: delivered on resume. */
  resumeBuffer: (room: RoomId | string, peerId: string) => `sg:resume-buffer:${room}:${peerId}`,
  resumeBufferPrefix: 'sg:resume-buffer:',
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
  /**
   * STRING counter with a TTL of two windows: events of one rate-limit key (`ip:<addr>`,
   * `room:<room>`, `conn:<addr>`) in one 10 s window, shared by every gateway node.
   */
  rateLimit: (key: string, window: number) => `sg:rate:${key}:${window}`,
  /** LIST of operator action records (JSON), newest first, trimmed to OPERATOR_ACTION_LOG_MAX. */
  operatorActions: 'sg:operator-actions',
} as const;

/** Separates room and peer id in node-peers entries; neither can contain it. */
export const MEMBER_ENTRY_SEPARATOR = '\x1f';
