/**
 * Removes one member and returns who remains, atomically, so the announcement
 * reaches exactly the members present after the departure.
 * KEYS: room hash, rooms set, node-peers set. ARGV: room, peerId, entry.
 * Returns {1, remainingJson[]} or {0} when the member was already gone.
 */
export const LEAVE_ROOM_LUA = `
redis.call('SREM', KEYS[3], ARGV[3])
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then
  return {0}
end
local remaining = redis.call('HVALS', KEYS[1])
if #remaining == 0 then
  redis.call('SREM', KEYS[2], ARGV[1])
end
return {1, remaining}
`;
