import { FORGET_RESUME_STATE_LUA, REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * Ends the holds of one room whose resume window is over, wherever the peers were
 * hosted: any node may run it (the one that lost the socket, or a survivor when that
 * node drained or died), and only the first caller gets each peer back to announce.
 * Keys of the room's slot; the caller found the peers in the sweep's index.
 * KEYS: room hash, room-resume hash, room held zset, room held reasons hash.
 * ARGV: token key prefix, resume buffer prefix, peer ids...
 * Returns, per peer, {peerId, 1, reason, node, remainingJson[]} when it ended now,
 * {peerId, 2, ms} when its window ends in ms, {peerId, 0} when it is not held.
 */
export const END_HOLDS_LUA = `${FORGET_RESUME_STATE_LUA}${REDIS_NOW_MS_LUA}
local now = redisNowMs()
local out = {}
for i = 3, #ARGV do
  local peer = ARGV[i]
  local deadline = redis.call('ZSCORE', KEYS[3], peer)
  if not deadline then
    table.insert(out, {peer, 0})
  elseif tonumber(deadline) > now then
    table.insert(out, {peer, 2, tonumber(deadline) - now})
  else
    local reason = redis.call('HGET', KEYS[4], peer) or 'timeout'
    local json = redis.call('HGET', KEYS[1], peer)
    forgetResumeState(peer, ARGV[1], ARGV[2])
    if json then
      redis.call('HDEL', KEYS[1], peer)
      table.insert(out, {peer, 1, reason, cjson.decode(json).node, redis.call('HVALS', KEYS[1])})
    else
      table.insert(out, {peer, 0})
    end
  end
end
return out
`;
