import { FORGET_RESUME_STATE_LUA } from '../resume/forget-resume-state.lua';

/**
 * Removes one member and returns who remains, atomically, so the announcement
 * reaches exactly the members present after the departure. With a token hash,
 * only the connection that still holds the seat may remove it: a socket whose
 * peer already resumed elsewhere (or on a newer socket here) leaves nothing.
 * Every key is of the room's slot; the caller drops the node's index entry after.
 * KEYS: room hash, room-resume hash, room held zset, room held reasons hash.
 * ARGV: peerId, token hash ('' = unconditional), token key prefix, resume buffer prefix.
 * Returns {1, remainingJson[]}, {0} when the member was already gone, {0, 1} when superseded.
 */
export const LEAVE_ROOM_LUA = `${FORGET_RESUME_STATE_LUA}
local peer = ARGV[1]
if ARGV[2] ~= '' then
  local current = redis.call('HGET', KEYS[2], peer)
  if current and current ~= ARGV[2] then
    return {0, 1}
  end
end
if redis.call('HDEL', KEYS[1], peer) == 0 then
  return {0}
end
forgetResumeState(peer, ARGV[3], ARGV[4])
return {1, redis.call('HVALS', KEYS[1])}
`;
