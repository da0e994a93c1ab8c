/**
 * Capacity check and join are one Lua call: 4409 must hold across all nodes
 * even under concurrent joins (PROTOCOL section 1). The resume token's hash is
 * stored in the same step, so a node that dies right after the join leaves a
 * peer that can still resume. Every key is of the room's slot; the node's member
 * index (`nodePeers`) is written by the caller before this runs.
 * KEYS: room hash, room-resume hash, token key (the room's token prefix alone when none).
 * ARGV: peerId, member JSON, capacity, token hash ('' = none).
 * Returns {1, othersJson[]} when admitted, {0} when full.
 */
export const JOIN_ROOM_LUA = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return {0}
end
local others = redis.call('HVALS', KEYS[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[3], ARGV[1])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
end
return {1, others}
`;
