/**
 * A frame for a peer that the node it was sent to cannot hand to a socket: keep it
 * in the peer's resume buffer while the peer cannot be reached (held, hosted by the
 * calling node without a socket, by the node the sender could not reach, or by a node
 * the caller found dead), or say which node hosts it now, so the caller checks that
 * node is alive (its key is of another slot) and forwards the frame. The buffer is
 * bounded: past the limit, frames are refused (the first ones, an offer and its
 * candidates, matter most). Keys of the room's slot.
 * KEYS: room hash, room held zset, resume buffer list.
 * ARGV: peerId, frame, limit, ttl ms, calling node, unreachable node ('' = none),
 * '1' to buffer (signals) or '0' to only locate, '1' when the hosting node is known dead.
 * Returns {0} gone, {1} buffered, {2} buffer full, {3, node} hosted there,
 * {4} unreachable and not buffered.
 */
export const BUFFER_FOR_PEER_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return {0}
end
local node = cjson.decode(json).node
local unreachable = ARGV[8] == '1'
  or redis.call('ZSCORE', KEYS[2], ARGV[1])
  or node == ARGV[5]
  or node == ARGV[6]
if not unreachable then
  return {3, node}
end
if ARGV[7] ~= '1' then
  return {4}
end
if redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[3]) then
  return {2}
end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return {1}
`;
