/**
 * Takes a resume token once and moves its peer's membership to the resuming node,
 * in one step: the token is deleted and replaced by the new one, the member's node
 * changes, it leaves the held peers, and the frames buffered for it are handed over
 * (PROTOCOL section 1). A token for another room is refused and not consumed; a stale
 * one (its peer gone, or a newer token issued) is refused and deleted.
 * KEYS: room hash, room-resume hash, held peers zset, held reasons hash.
 * ARGV: room, token hash, new token hash, new node, token key prefix, node-peers prefix,
 * resume buffer prefix, entry separator.
 * Returns {0} when refused, else {1, peerId, previous node, member JSON, othersJson[], frames[]}.
 */
export const RESUME_PEER_LUA = `
local tokenKey = ARGV[5] .. ARGV[2]
local entry = redis.call('GET', tokenKey)
if not entry then
  return {0}
end
local sep = string.find(entry, ARGV[8], 1, true)
if not sep or string.sub(entry, 1, sep - 1) ~= ARGV[1] then
  return {0}
end
local peer = string.sub(entry, sep + 1)
local json = redis.call('HGET', KEYS[1], peer)
if not json or redis.call('HGET', KEYS[2], peer) ~= ARGV[2] then
  redis.call('DEL', tokenKey)
  return {0}
end
redis.call('DEL', tokenKey)
local member = cjson.decode(json)
local previous = member.node
member.node = ARGV[4]
local moved = cjson.encode(member)
redis.call('HSET', KEYS[1], peer, moved)
redis.call('SREM', ARGV[6] .. previous, entry)
redis.call('SADD', ARGV[6] .. ARGV[4], entry)
redis.call('ZREM', KEYS[3], entry)
redis.call('HDEL', KEYS[4], entry)
redis.call('SET', ARGV[5] .. ARGV[3], entry)
redis.call('HSET', KEYS[2], peer, ARGV[3])
local bufferKey = ARGV[7] .. ARGV[1] .. ':' .. peer
local frames = redis.call('LRANGE', bufferKey, 0, -1)
redis.call('DEL', bufferKey)
local others = {}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= peer then
    table.insert(others, all[i + 1])
  end
end
return {1, peer, previous, moved, others, frames}
`;
