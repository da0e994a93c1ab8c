import type { RedisConnection } from '../redis-connection';
import { BUFFER_FOR_PEER_LUA } from './buffer-for-peer.lua';
import { END_HOLDS_LUA } from './end-holds.lua';
import { DUE_HOLDS_LUA, INDEX_HOLDS_LUA, RESCHEDULE_HOLDS_LUA } from './held-index.lua';
import { HOLD_MEMBERS_LUA, HOLD_PEER_LUA } from './hold-peer.lua';
import { RESUME_PEER_LUA } from './resume-peer.lua';

type Reply = unknown;

/** The four keys of a room every resume script takes, all of the room's slot. */
type RoomKeys = [roomKey: string, resumeKey: string, heldKey: string, reasonsKey: string];

/** The resume scripts as ioredis commands (EVALSHA with EVAL fallback); each script's keys share one slot. */
export interface ResumeCommands {
  sgHoldPeer(...keysAndArgs: [...RoomKeys, ...string[]]): Promise<Reply>;
  sgHoldMembers(...keysAndArgs: [...RoomKeys, ...string[]]): Promise<Reply>;
  sgResumePeer(...keysAndArgs: [...RoomKeys, ...string[]]): Promise<Reply>;
  sgEndHolds(...keysAndArgs: [...RoomKeys, ...string[]]): Promise<Reply>;
  sgBufferForPeer(roomKey: string, heldKey: string, bufferKey: string, ...args: string[]): Promise<Reply>;
  sgIndexHolds(indexKey: string, ...args: string[]): Promise<Reply>;
  sgDueHolds(indexKey: string, limit: string, leaseMs: string): Promise<Reply>;
  sgRescheduleHolds(indexKey: string, ...args: string[]): Promise<Reply>;
}

export type ResumeRedis = RedisConnection & ResumeCommands;

/** Registers the scripts once per connection; idempotent. */
export function defineResumeCommands(redis: RedisConnection): ResumeRedis {
  const withCommands = redis as ResumeRedis;
  if (typeof withCommands.sgResumePeer === 'function') return withCommands;
  redis.defineCommand('sgHoldPeer', { numberOfKeys: 4, lua: HOLD_PEER_LUA });
  redis.defineCommand('sgHoldMembers', { numberOfKeys: 4, lua: HOLD_MEMBERS_LUA });
  redis.defineCommand('sgResumePeer', { numberOfKeys: 4, lua: RESUME_PEER_LUA });
  redis.defineCommand('sgEndHolds', { numberOfKeys: 4, lua: END_HOLDS_LUA });
  redis.defineCommand('sgBufferForPeer', { numberOfKeys: 3, lua: BUFFER_FOR_PEER_LUA });
  redis.defineCommand('sgIndexHolds', { numberOfKeys: 1, lua: INDEX_HOLDS_LUA });
  redis.defineCommand('sgDueHolds', { numberOfKeys: 1, lua: DUE_HOLDS_LUA });
  redis.defineCommand('sgRescheduleHolds', { numberOfKeys: 1, lua: RESCHEDULE_HOLDS_LUA });
  return withCommands;
}
