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

/**
 * JOIN_ROOM_LUA after counting the connection attempt, in one step on one Redis (a cluster keeps
 * the counter on its own slot and counts it in a call of its own): one round trip per join.
 * The counter is RATE_WINDOWS_LUA's, so both ways add to one count.
 * KEYS 4, 5: the attempt counter of this window, of the previous one.
 * ARGV 5: the attempt limit, 6: the counter's TTL in ms, 7: the weight of the previous window.
 * Returns {2} when the attempt is over the limit (nothing else is touched), else as JOIN_ROOM_LUA.
 */
export const COUNT_ATTEMPT_THEN_JOIN_ROOM_LUA = `
local attempts = redis.call('INCRBY', KEYS[4], 1)
if attempts == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[6]) end
local previous = tonumber(redis.call('GET', KEYS[5]) or '0')
if previous * tonumber(ARGV[7]) + attempts > tonumber(ARGV[5]) then
  return {2}
end
${JOIN_ROOM_LUA}`;
