import type { RedisConnection } from '../redis-connection';
import { APPEND_TO_SESSION_STREAMS_LUA } from './append-to-session-streams.lua';
import { COUNT_ATTEMPT_THEN_JOIN_ROOM_LUA, JOIN_ROOM_LUA } from './join-room.lua';
import { LEAVE_ROOM_LUA } from './leave-room.lua';
import { CLAIM_NODE_LUA, NODE_GONE_LUA, NODE_HEARTBEAT_LUA } from './node-heartbeat.lua';
import { RELEASE_LEASE_LUA, RENEW_LEASE_LUA } from './renew-lease.lua';

type Reply = unknown;

/** The cluster's Lua scripts as ioredis commands (EVALSHA with EVAL fallback); each script's keys share one slot. */
export interface ClusterCommands {
  sgJoinRoom(roomKey: string, resumeKey: string, tokenKey: string, ...args: string[]): Promise<Reply>;
  /** One Redis only: its keys span two hash tags (the room's, the address's). */
  sgCountAttemptThenJoinRoom(roomKey: string, resumeKey: string, tokenKey: string, attemptsKey: string, previousAttemptsKey: string, ...args: string[]): Promise<Reply>;
  sgLeaveRoom(roomKey: string, resumeKey: string, heldKey: string, reasonsKey: string, ...args: string[]): Promise<Reply>;
  sgNodeHeartbeat(aliveKey: string, registeredKey: string, suspectKey: string, ...args: string[]): Promise<Reply>;
  sgClaimNode(aliveKey: string, registeredKey: string, nodePeersKey: string, suspectKey: string, mustBeDead: string, graceMs: string): Promise<Reply>;
  sgNodeGone(aliveKey: string, nodePeersKey: string, mustBeDead: string): Promise<Reply>;
  sgRenewLease(leaseKey: string, holder: string, ttlMs: string): Promise<Reply>;
  sgReleaseLease(leaseKey: string, holder: string): Promise<Reply>;
  /** One Redis only: `keyCount` shard streams, then MAXLEN and each stream's batch, writer and sequence numbers. */
  sgAppendToSessionStreams(keyCount: number, ...keysThenArgs: Array<string | Buffer>): Promise<number>;
}

export type ClusterRedis = RedisConnection & ClusterCommands;

/** Registers the scripts once per connection; idempotent. */
export function defineClusterCommands(redis: RedisConnection): ClusterRedis {
  const withCommands = redis as ClusterRedis;
  if (typeof withCommands.sgJoinRoom === 'function') return withCommands;
  redis.defineCommand('sgJoinRoom', { numberOfKeys: 3, lua: JOIN_ROOM_LUA });
  redis.defineCommand('sgCountAttemptThenJoinRoom', { numberOfKeys: 5, lua: COUNT_ATTEMPT_THEN_JOIN_ROOM_LUA });
  redis.defineCommand('sgLeaveRoom', { numberOfKeys: 4, lua: LEAVE_ROOM_LUA });
  redis.defineCommand('sgNodeHeartbeat', { numberOfKeys: 3, lua: NODE_HEARTBEAT_LUA });
  redis.defineCommand('sgClaimNode', { numberOfKeys: 4, lua: CLAIM_NODE_LUA });
  redis.defineCommand('sgNodeGone', { numberOfKeys: 2, lua: NODE_GONE_LUA });
  redis.defineCommand('sgRenewLease', { numberOfKeys: 1, lua: RENEW_LEASE_LUA });
  redis.defineCommand('sgReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE_LUA });
  // the key count is the call's first argument: as many streams as shards with events
  redis.defineCommand('sgAppendToSessionStreams', { lua: APPEND_TO_SESSION_STREAMS_LUA });
  return withCommands;
}
