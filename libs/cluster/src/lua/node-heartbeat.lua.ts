/**
 * Refreshes a node's TTL and status. If the node was registered before and is
 * missing now, survivors reaped it (e.g. after a long pause): report that
 * instead of silently coming back with members the cluster already dropped.
 * KEYS: nodes hash, node-alive key. ARGV: node id, status JSON, ttl ms, first beat (1/0).
 * Returns 1 (alive) or 0 (reaped).
 */
export const NODE_HEARTBEAT_LUA = `
if ARGV[4] == '0' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
return 1
`;
