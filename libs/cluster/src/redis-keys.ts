import type { NodeId, RoomId } from '@sg/schema';

/**
 * Every Redis key, channel and stream name of the product, in one place.
 *
 * Slots (Redis Cluster, PROTOCOL section 4): every Lua script, transaction and pipeline
 * touches keys of one hash slot only, so each key carries a hash tag (`{...}`) naming what
 * it belongs to:
 * - `{<room>}`: a room's members, resume tokens, holds and resume buffers; every change to a
 *   room is one script on its slot, so capacity and resume stay atomic across nodes;
 * - `{<node>}`: a node's liveness, registration and member index, and its bus channel;
 * - `{ev<shard>}`: a session events shard's stream, its lease, its deadlines and the peer
 *   records of its rooms, so the shard's holder reads and writes one slot;
 * - `{<rate key>}`: the windows of one rate-limit key.
 * Keys without a tag (`sg:nodes`, `sg:held-peers`, ...) are single keys, each on its own slot.
 * Room ids and node ids cannot contain braces (`^[A-Za-z0-9_-]+$`, `NODE_ID_PATTERN`).
 * On one Redis the tags change nothing.
 */
export const REDIS_KEYS = {
  /** HASH peerId -> RoomMember JSON. */
  room: (room: RoomId | string) => `sg:room:{${room}}`,
  /**
   * STRING peerId, keyed by the room and the SHA-256 of a resume token (never the token itself,
   * so a Redis dump holds nothing usable). No TTL while the peer's socket is up; the resume
   * window's TTL once it is lost. Taken once by a resume.
   */
  resumeToken: (room: RoomId | string, tokenHash: string) => `sg:resume-token:{${room}}:${tokenHash}`,
  /** The prefix of a room's resume token keys, for scripts of that room. */
  resumeTokenPrefix: (room: RoomId | string) => `sg:resume-token:{${room}}:`,
  /** HASH peerId -> token hash of the connection that holds the peer's seat now. */
  roomResumeTokens: (room: RoomId | string) => `sg:room-resume:{${room}}`,
  /** ZSET peerId -> Unix ms (the room's Redis clock) when a lost peer's resume window ends. */
  roomHeld: (room: RoomId | string) => `sg:room-held:{${room}}`,
  /** HASH peerId -> the `peer-left` reason due when its window ends (`timeout`, `node-lost`). */
  roomHeldReasons: (room: RoomId | string) => `sg:room-held-reasons:{${room}}`,
  /** LIST of frames for a lost peer, oldest first, bounded, with a TTL: delivered on resume. */
  resumeBuffer: (room: RoomId | string, peerId: string) => `sg:resume-buffer:{${room}}:${peerId}`,
  /** The prefix of a room's resume buffers, for scripts of that room. */
  resumeBufferPrefix: (room: RoomId | string) => `sg:resume-buffer:{${room}}:`,
  /**
   * ZSET `room<US>peerId<US>nonce` -> Unix ms (its own Redis clock) when a hold is due: the index
   * the sweep reads to find holds to end. Each hold adds a member of its own; a member goes only
   * once its room says the hold ended or is gone, so the index never misses a live hold.
   */
  heldPeers: 'sg:held-peers',
  /** HASH nodeId -> NodeStatus JSON: every registered node, for listing. */
  nodes: 'sg:nodes',
  /** STRING with a TTL: present while the node heartbeats. */
  nodeAlive: (node: NodeId | string) => `sg:node-alive:{${node}}`,
  /** STRING Unix ms (the slot's clock): since when survivors suspect the node, beating no more; its next beat deletes it. */
  nodeSuspect: (node: NodeId | string) => `sg:node-suspect:{${node}}`,
  /** STRING: present from the node's first heartbeat until survivors reap it (or Redis lost it). */
  nodeRegistered: (node: NodeId | string) => `sg:node-registered:{${node}}`,
  /**
   * SET of `room<US>peerId` hosted by a node, written before the seat is taken, so survivors find
   * every member of a dead node and walk its rooms one by one. May hold stale entries (skipped).
   */
  nodePeers: (node: NodeId | string) => `sg:node-peers:{${node}}`,
  /** Pub/sub channel of one node (per-node fan-out, docs/architecture.md); sharded on a cluster. */
  nodeChannel: (node: NodeId | string) => `sg:node-bus:{${node}}`,
  /**
   * Stream of SessionEvent batches of one shard of rooms (`sessionEventShardOf`): each
   * shard is read by one indexer at a time, so a session has a single writer.
   */
  sessionEvents: (shard: number) => `sg:session-events:{ev${shard}}`,
  /** Consumer group of the indexers on every session events stream. */
  sessionEventsGroup: 'indexer',
  /** Stream of events the indexer could not read: `{stream, id, index, error, event}`. */
  sessionEventsDeadLetter: 'sg:session-events:dead-letter',
  /** STRING with a TTL: the indexer instance that holds the lease on a shard. */
  indexerShardLease: (shard: number) => `sg:indexer:lease:{ev${shard}}`,
  /** ZSET instance -> last heartbeat (Unix ms): live indexer instances, to share shards fairly. */
  indexers: 'sg:indexer:instances',
  /** STRING with a TTL: the indexer's PeerRecord JSON of a peer (`room/peer`) of a room of the shard. */
  indexerPeer: (shard: number, peerKey: string) => `sg:indexer:peer:{ev${shard}}:${peerKey}`,
  /** ZSET sessionId -> Unix ms when its no-answer or ICE deadline falls, per shard. */
  sessionDeadlines: (shard: number) => `sg:indexer:deadlines:{ev${shard}}`,
  /**
   * STRING counter with a TTL of two windows: events of one rate-limit key (`ip:<addr>`,
   * `room:<room>`, `conn:<addr>`) in one 10 s window, shared by every gateway node.
   */
  rateLimit: (key: string, window: number) => `sg:rate:{${key}}:${window}`,
  /** LIST of operator action records (JSON), newest first, trimmed to OPERATOR_ACTION_LOG_MAX. */
  operatorActions: 'sg:operator-actions',
} as const;

/** Separates room, peer id and nonce in index entries; none can contain it. */
export const MEMBER_ENTRY_SEPARATOR = '\x1f';
