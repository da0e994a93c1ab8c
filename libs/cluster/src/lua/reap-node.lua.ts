/**
 * Removes every member of a dead node in one atomic step. Survivors may race
 * to reap the same node: only the first gets the members back to announce.
 * A node that heartbeats again before this runs is left alone.
 * KEYS: nodes hash, node-alive key, node-peers set, rooms set.
 * ARGV: node id, room key prefix, entry separator.
 * Returns { {room, peerId, remainingJson[]}, ... }.
 */
export const REAP_NODE_LUA = `
if redis.call('EXISTS', KEYS[2]) == 1 then
  return {}
end
local reaped = {}
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local sep = string.find(entry, ARGV[3], 1, true)
  if sep then
    local room = string.sub(entry, 1, sep - 1)
    local peer = string.sub(entry, sep + 1)
    local roomKey = ARGV[2] .. room
    if redis.call('HDEL', roomKey, peer) == 1 then
      local remaining = redis.call('HVALS', roomKey)
      if #remaining == 0 then
        redis.call('SREM', KEYS[4], room)
      end
      table.insert(reaped, {room, peer, remaining})
    end
  end
end
redis.call('DEL', KEYS[3])
redis.call('HDEL', KEYS[1], ARGV[1])
return reaped
`;
