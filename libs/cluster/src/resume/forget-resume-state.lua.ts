/**
 * Lua shared by every script that removes a member for good (leave, window over):
 * its token, its hold and its buffered frames go with it, so a departed peer can never
 * be resumed. Every key is of the room's slot: the caller's KEYS are the room hash, the
 * room-resume hash, the room's held zset and its reasons hash.
 */
export const FORGET_RESUME_STATE_LUA = `
local function forgetResumeState(peer, tokenPrefix, bufferPrefix)
  local hash = redis.call('HGET', KEYS[2], peer)
  if hash then
    redis.call('DEL', tokenPrefix .. hash)
    redis.call('HDEL', KEYS[2], peer)
  end
  local held = redis.call('ZREM', KEYS[3], peer)
  redis.call('HDEL', KEYS[4], peer)
  redis.call('DEL', bufferPrefix .. peer)
  return held
end
`;

/** Lua: Redis server time in Unix ms, so every node compares deadlines on one clock (the slot's master). */
export const REDIS_NOW_MS_LUA = `
local function redisNowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;
