/**
 * Capacity check and join are one Lua call: 4409 must hold across all nodes
 * even under concurrent joins (PROTOCOL section 1).
 * KEYS: room hash, rooms set, node-peers set. ARGV: room, peerId, member JSON, capacity, entry.
 * Returns {1, othersJson[]} when admitted, {0} when full.
 */
export const JOIN_ROOM_LUA = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
  return {0}
end
local others = redis.call('HVALS', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[5])
return {1, others}
`;
