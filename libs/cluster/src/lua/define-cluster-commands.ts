import type Redis from 'ioredis';
import { DEAD_NODES_LUA } from './dead-nodes.lua';
import { JOIN_ROOM_LUA } from './join-room.lua';
import { LEAVE_ROOM_LUA } from './leave-room.lua';
import { NODE_HEARTBEAT_LUA } from './node-heartbeat.lua';
import { RELEASE_LEASE_LUA, RENEW_LEASE_LUA } from './renew-lease.lua';

type Reply = unknown;

/** The cluster's Lua scripts as ioredis commands (EVALSHA with EVAL fallback). */
export interface ClusterCommands {
  sgJoinRoom(roomKey: string, roomsKey: string, nodePeersKey: string, ...args: string[]): Promise<Reply>;
  sgLeaveRoom(roomKey: string, roomsKey: string, nodePeersKey: string, ...args: string[]): Promise<Reply>;
  sgNodeHeartbeat(nodesKey: string, aliveKey: string, ...args: string[]): Promise<Reply>;
  sgDeadNodes(nodesKey: string, alivePrefix: string): Promise<Reply>;
  sgRenewLease(leaseKey: string, holder: string, ttlMs: string): Promise<Reply>;
  sgReleaseLease(leaseKey: string, holder: string): Promise<Reply>;
}

export type ClusterRedis = Redis & ClusterCommands;

/** Registers the scripts once per connection; idempotent. */
export function defineClusterCommands(redis: Redis): ClusterRedis {
  const withCommands = redis as ClusterRedis;
  if (typeof withCommands.sgJoinRoom === 'function') return withCommands;
  redis.defineCommand('sgJoinRoom', { numberOfKeys: 3, lua: JOIN_ROOM_LUA });
  redis.defineCommand('sgLeaveRoom', { numberOfKeys: 3, lua: LEAVE_ROOM_LUA });
  redis.defineCommand('sgNodeHeartbeat', { numberOfKeys: 2, lua: NODE_HEARTBEAT_LUA });
  redis.defineCommand('sgDeadNodes', { numberOfKeys: 1, lua: DEAD_NODES_LUA });
  redis.defineCommand('sgRenewLease', { numberOfKeys: 1, lua: RENEW_LEASE_LUA });
  redis.defineCommand('sgReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE_LUA });
  return withCommands;
}
