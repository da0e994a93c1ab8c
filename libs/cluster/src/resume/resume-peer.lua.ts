/**
 * Takes a resume token once and moves its peer's membership to the resuming node,
 * in one step: the token is deleted and replaced by the new one, the member's node
 * changes, its hold ends, and the frames buffered for it are handed over
 * (PROTOCOL section 1). The token key is the room's: a token for another room is not
 * found there, so it is refused and not consumed; a stale one (its peer gone, or a newer
 * token issued) is refused and deleted. Keys of the room's slot; the caller adds the
 * peer to the resuming node's index before, and drops it from the previous one's after.
 * KEYS: room hash, room-resume hash, room held zset, room held reasons hash.
 * ARGV: token hash, new token hash, new node, token key prefix, resume buffer prefix.
 * Returns {0, current node or ''} when refused, else {1, peerId, previous node, member JSON, othersJson[], frames[]}.
 */
export const RESUME_PEER_LUA = `
local tokenKey = ARGV[4] .. ARGV[1]
local peer = redis.call('GET', tokenKey)
if not peer then
  return {0, ''}
end
local json = redis.call('HGET', KEYS[1], peer)
if not json or redis.call('HGET', KEYS[2], peer) ~= ARGV[1] then
  redis.call('DEL', tokenKey)
  return {0, json and cjson.decode(json).node or ''}
end
redis.call('DEL', tokenKey)
local member = cjson.decode(json)
local previous = member.node
member.node = ARGV[3]
local moved = cjson.encode(member)
redis.call('HSET', KEYS[1], peer, moved)
redis.call('ZREM', KEYS[3], peer)
redis.call('HDEL', KEYS[4], peer)
redis.call('SET', ARGV[4] .. ARGV[2], peer)
redis.call('HSET', KEYS[2], peer, ARGV[2])
local bufferKey = ARGV[5] .. peer
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
