/**
 * A frame for a peer that the node it was sent to cannot hand to a socket: keep it
 * in the peer's resume buffer while the peer cannot be reached (held, hosted by the
 * calling node without a socket, by the node the sender could not reach, or by a dead
 * node not reaped yet), or say which node hosts it now (it resumed there), so the
 * caller forwards it. The buffer is bounded: past the limit, frames are refused
 * (the first ones, an offer and its candidates, matter most).
 * KEYS: room hash, held peers zset, resume buffer list.
 * ARGV: peerId, entry, frame, limit, ttl ms, calling node, unreachable node ('' = none),
 * node-alive prefix, '1' to buffer (signals) or '0' to only locate.
 * Returns {0} gone, {1} buffered, {2} buffer full, {3, node} hosted and reachable there,
 * {4} unreachable and not buffered.
 */
export const BUFFER_FOR_PEER_LUA = `
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return {0}
end
local node = cjson.decode(json).node
local unreachable = redis.call('ZSCORE', KEYS[2], ARGV[2])
  or node == ARGV[6]
  or node == ARGV[7]
  or redis.call('EXISTS', ARGV[8] .. node) == 0
if not unreachable then
  return {3, node}
end
if ARGV[9] ~= '1' then
  return {4}
end
if redis.call('LLEN', KEYS[3]) >= tonumber(ARGV[4]) then
  return {2}
end
redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return {1}
`;
