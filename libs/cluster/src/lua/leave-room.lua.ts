import { FORGET_RESUME_STATE_LUA } from '../resume/forget-resume-state.lua';

/**
 * Removes one member and returns who remains, atomically, so the announcement
 * reaches exactly the members present after the departure. With a token hash,
 * only the connection that still holds the seat may remove it: a socket whose
 * peer already resumed elsewhere (or on a newer socket here) leaves nothing.
 * KEYS: room hash, rooms set, node-peers set.
 * ARGV: room, peerId, entry, token hash ('' = unconditional), token key prefix,
 * room-resume prefix, resume buffer prefix, held peers zset, held reasons hash.
 * Returns {1, remainingJson[]}, {0} when the member was already gone, {0, 1} when superseded.
 */
export const LEAVE_ROOM_LUA = `${FORGET_RESUME_STATE_LUA}
local room, peer, entry = ARGV[1], ARGV[2], ARGV[3]
local hash = ARGV[4] or ''
if hash ~= '' then
  local current = redis.call('HGET', ARGV[6] .. room, peer)
  if current and current ~= hash then
    return {0, 1}
  end
end
redis.call('SREM', KEYS[3], entry)
if redis.call('HDEL', KEYS[1], peer) == 0 then
  return {0}
end
if ARGV[5] ~= nil then
  forgetResumeState(room, peer, entry, ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9])
end
local remaining = redis.call('HVALS', KEYS[1])
if #remaining == 0 then
  redis.call('SREM', KEYS[2], room)
end
return {1, remaining}
`;
