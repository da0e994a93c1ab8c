import { REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * A local peer's socket was lost: its seat stays, and its resume window starts
 * (PROTOCOL section 1). Only the connection that still holds the seat may do this,
 * so a socket superseded by a resume cannot put the resumed peer back on hold.
 * An earlier hold keeps its deadline and reason. Keys of the room's slot; the caller
 * adds the hold to the sweep's index (`heldPeers`) before this runs.
 * KEYS: room hash, room-resume hash, room held zset, room held reasons hash.
 * ARGV: peerId, token hash ('' = any), reason, window ms, token key prefix.
 * Returns 1 when held (now or before), 0 when the peer is gone or superseded.
 */
export const HOLD_PEER_LUA = `${REDIS_NOW_MS_LUA}
local peer = ARGV[1]
if redis.call('HEXISTS', KEYS[1], peer) == 0 then
  return 0
end
local hash = redis.call('HGET', KEYS[2], peer)
if ARGV[2] ~= '' and hash and hash ~= ARGV[2] then
  return 0
end
local window = tonumber(ARGV[4])
if redis.call('ZADD', KEYS[3], 'NX', redisNowMs() + window, peer) == 1 then
  redis.call('HSET', KEYS[4], peer, ARGV[3])
  if hash then
    -- the token lives exactly as long as the window: past it, resume is refused
    if window > 0 then
      redis.call('PEXPIRE', ARGV[5] .. hash, window)
    else
      redis.call('DEL', ARGV[5] .. hash)
    end
  end
end
return 1
`;

/**
 * The members of one room that a node hosts, put on hold in one step: for a dead node
 * (`node-lost` when the window ends) and for a draining one leaving (`timeout`). They keep
 * their seats and can resume on any node within the window; members that moved to another
 * node meanwhile are left alone, and racing survivors hold each member once (ZADD NX).
 * A node's rooms are walked one by one, each room's change atomic on its own slot.
 * KEYS: room hash, room-resume hash, room held zset, room held reasons hash.
 * ARGV: node id, reason, window ms, token key prefix, peer ids...
 * Returns the number of members newly held.
 */
export const HOLD_MEMBERS_LUA = `${REDIS_NOW_MS_LUA}
local window = tonumber(ARGV[3])
local deadline = redisNowMs() + window
local held = 0
for i = 5, #ARGV do
  local peer = ARGV[i]
  local json = redis.call('HGET', KEYS[1], peer)
  if json and cjson.decode(json).node == ARGV[1] then
    if redis.call('ZADD', KEYS[3], 'NX', deadline, peer) == 1 then
      redis.call('HSET', KEYS[4], peer, ARGV[2])
      local hash = redis.call('HGET', KEYS[2], peer)
      if hash then
        if window > 0 then
          redis.call('PEXPIRE', ARGV[4] .. hash, window)
        else
          redis.call('DEL', ARGV[4] .. hash)
        end
      end
      held = held + 1
    end
  end
end
return held
`;
