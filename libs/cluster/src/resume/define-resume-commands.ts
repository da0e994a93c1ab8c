import type Redis from 'ioredis';
import { BUFFER_FOR_PEER_LUA } from './buffer-for-peer.lua';
import { EXPIRE_HELD_PEERS_LUA } from './expire-held-peers.lua';
import { HOLD_NODE_LUA } from './hold-node.lua';
import { HOLD_PEER_LUA } from './hold-peer.lua';
import { RESUME_PEER_LUA } from './resume-peer.lua';

type Reply = unknown;

/** The resume scripts as ioredis commands (EVALSHA with EVAL fallback). */
export interface ResumeCommands {
  sgHoldPeer(roomKey: string, resumeKey: string, heldKey: string, reasonsKey: string, ...args: string[]): Promise<Reply>;
  sgHoldNode(nodesKey: string, aliveKey: string, nodePeersKey: string, heldKey: string, reasonsKey: string, ...args: string[]): Promise<Reply>;
  sgResumePeer(roomKey: string, resumeKey: string, heldKey: string, reasonsKey: string, ...args: string[]): Promise<Reply>;
  sgExpireHeldPeers(heldKey: string, reasonsKey: string, roomsKey: string, ...args: string[]): Promise<Reply>;
  sgBufferForPeer(roomKey: string, heldKey: string, bufferKey: string, ...args: string[]): Promise<Reply>;
}

export type ResumeRedis = Redis & ResumeCommands;

/** Registers the scripts once per connection; idempotent. */
export function defineResumeCommands(redis: Redis): ResumeRedis {
  const withCommands = redis as ResumeRedis;
  if (typeof withCommands.sgResumePeer === 'function') return withCommands;
  redis.defineCommand('sgHoldPeer', { numberOfKeys: 4, lua: HOLD_PEER_LUA });
  redis.defineCommand('sgHoldNode', { numberOfKeys: 5, lua: HOLD_NODE_LUA });
  redis.defineCommand('sgResumePeer', { numberOfKeys: 4, lua: RESUME_PEER_LUA });
  redis.defineCommand('sgExpireHeldPeers', { numberOfKeys: 3, lua: EXPIRE_HELD_PEERS_LUA });
  redis.defineCommand('sgBufferForPeer', { numberOfKeys: 3, lua: BUFFER_FOR_PEER_LUA });
  return withCommands;
}
