import { FORGET_RESUME_STATE_LUA, REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * Ends the held peers whose resume window is over, wherever they were hosted:
 * any node may run it (the one that lost the socket, or a survivor when that node
 * drained or died), and only the first caller gets each peer back to announce.
 * KEYS: held peers zset, held reasons hash, rooms set.
 * ARGV: room key prefix, room-resume prefix, token key prefix, resume buffer prefix,
 * node-peers prefix, entry separator, max peers per call.
 * Returns { {room, peerId, reason, remainingJson[]}, ... }.
 */
export const EXPIRE_HELD_PEERS_LUA = `${FORGET_RESUME_STATE_LUA}${REDIS_NOW_MS_LUA}
local ended = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', redisNowMs(), 'LIMIT', 0, tonumber(ARGV[7]))
for _, entry in ipairs(due) do
  local reason = redis.call('HGET', KEYS[2], entry) or 'timeout'
  local sep = string.find(entry, ARGV[6], 1, true)
  if sep then
    local room = string.sub(entry, 1, sep - 1)
    local peer = string.sub(entry, sep + 1)
    local roomKey = ARGV[1] .. room
    local json = redis.call('HGET', roomKey, peer)
    forgetResumeState(room, peer, entry, ARGV[3], ARGV[2], ARGV[4], KEYS[1], KEYS[2])
    if json then
      redis.call('HDEL', roomKey, peer)
      redis.call('SREM', ARGV[5] .. cjson.decode(json).node, entry)
      local remaining = redis.call('HVALS', roomKey)
      if #remaining == 0 then
        redis.call('SREM', KEYS[3], room)
      end
      table.insert(ended, {room, peer, reason, remaining})
    end
  else
    redis.call('ZREM', KEYS[1], entry)
    redis.call('HDEL', KEYS[2], entry)
  end
end
return ended
`;
