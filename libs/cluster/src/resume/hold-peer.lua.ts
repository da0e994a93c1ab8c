import { REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * A local peer's socket was lost: its seat stays, and its resume window starts
 * (PROTOCOL section 1). Only the connection that still holds the seat may do this,
 * so a socket superseded by a resume cannot put the resumed peer back on hold.
 * An earlier hold keeps its deadline and reason.
 * KEYS: room hash, room-resume hash, held peers zset, held reasons hash.
 * ARGV: peerId, token hash ('' = any), entry, reason, window ms, token key prefix.
 * Returns 1 when held (now or before), 0 when the peer is gone or superseded.
 */
export const HOLD_PEER_LUA = `${REDIS_NOW_MS_LUA}
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
local hash = redis.call('HGET', KEYS[2], ARGV[1])
if ARGV[2] ~= '' and hash and hash ~= ARGV[2] then
  return 0
end
local window = tonumber(ARGV[5])
if redis.call('ZADD', KEYS[3], 'NX', redisNowMs() + window, ARGV[3]) == 1 then
  redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
  if hash then
    -- the token lives exactly as long as the window: past it, resume is refused
    if window > 0 then
      redis.call('PEXPIRE', ARGV[6] .. hash, window)
    else
      redis.call('DEL', ARGV[6] .. hash)
    end
  end
end
return 1
`;
