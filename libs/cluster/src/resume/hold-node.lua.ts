import { REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * Puts every member a node hosts on hold, in one step, and takes the node out of
 * the registry: for a dead node (its TTL ran out; `node-lost` when the window ends)
 * and for a draining one leaving (`timeout`). Members keep their seats and can
 * resume on any node within the window. A dead node that heartbeats again before
 * this runs is left alone; racing survivors hold each member once (ZADD NX).
 * KEYS: nodes hash, node-alive key, node-peers set, held peers zset, held reasons hash.
 * ARGV: node id, reason, window ms, room key prefix, room-resume prefix, token key prefix,
 * entry separator, '1' when the node must be dead.
 * Returns the number of members newly held, or -1 when the node is alive.
 */
export const HOLD_NODE_LUA = `${REDIS_NOW_MS_LUA}
if ARGV[8] == '1' and redis.call('EXISTS', KEYS[2]) == 1 then
  return -1
end
local window = tonumber(ARGV[3])
local deadline = redisNowMs() + window
local held = 0
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local sep = string.find(entry, ARGV[7], 1, true)
  if sep then
    local room = string.sub(entry, 1, sep - 1)
    local peer = string.sub(entry, sep + 1)
    local json = redis.call('HGET', ARGV[4] .. room, peer)
    if json and cjson.decode(json).node == ARGV[1] then
      if redis.call('ZADD', KEYS[4], 'NX', deadline, entry) == 1 then
        redis.call('HSET', KEYS[5], entry, ARGV[2])
        local hash = redis.call('HGET', ARGV[5] .. room, peer)
        if hash then
          if window > 0 then
            redis.call('PEXPIRE', ARGV[6] .. hash, window)
          else
            redis.call('DEL', ARGV[6] .. hash)
          end
        end
        held = held + 1
      end
    else
      redis.call('SREM', KEYS[3], entry)
    end
  end
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return held
`;
