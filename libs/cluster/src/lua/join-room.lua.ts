/**
 * Capacity check and join are one Lua call: 4409 must hold across all nodes
 * even under concurrent joins (PROTOCOL section 1). The resume token's hash is
 * stored in the same step, so a node that dies right after the join leaves a
 * peer that can still resume.
 * KEYS: room hash, rooms set, node-peers set.
 * ARGV: room, peerId, member JSON, capacity, entry, token key ('' = none), room-resume hash, token hash.
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
if ARGV[6] ~= nil and ARGV[6] ~= '' then
  redis.call('SET', ARGV[6], ARGV[5])
  redis.call('HSET', ARGV[7], ARGV[2], ARGV[8])
end
return {1, others}
`;
