/**
 * Lua shared by every script that removes a member for good (leave, window over):
 * its token, its place among the held peers and its buffered frames go with it, so a
 * departed peer can never be resumed. Expects locals `room`, `peer`, `entry` and the
 * key prefixes `tokenPrefix`, `resumePrefix`, `bufferPrefix`, `heldKey`, `reasonsKey`.
 */
export const FORGET_RESUME_STATE_LUA = `
local function forgetResumeState(room, peer, entry, tokenPrefix, resumePrefix, bufferPrefix, heldKey, reasonsKey)
  local resumeKey = resumePrefix .. room
  local hash = redis.call('HGET', resumeKey, peer)
  if hash then
    redis.call('DEL', tokenPrefix .. hash)
    redis.call('HDEL', resumeKey, peer)
  end
  redis.call('ZREM', heldKey, entry)
  redis.call('HDEL', reasonsKey, entry)
  redis.call('DEL', bufferPrefix .. room .. ':' .. peer)
end
`;

/** Lua: Redis server time in Unix ms, so every node compares deadlines on one clock. */
export const REDIS_NOW_MS_LUA = `
local function redisNowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;
