/**
 * Refreshes a node's TTL. If the node was registered before and is not any more,
 * survivors reaped it (e.g. after a long pause), or Redis lost its keys (restarted
 * empty): report that instead of silently coming back with members the cluster may
 * have dropped. Keys of the node's slot; its status in `sg:nodes` is written after.
 * KEYS: node-alive key, node-registered key. ARGV: ttl ms, first beat (1/0).
 * Returns 1 (alive) or 0 (reaped).
 */
export const NODE_HEARTBEAT_LUA = `
if ARGV[2] == '0' and redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('SET', KEYS[2], '1')
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
return 1
`;

/**
 * Starts taking a node out: a dead one (its TTL ran out; skipped if it beats again
 * before this runs) or a draining one leaving. It is deregistered at once, so if it was
 * only paused its next heartbeat learns it was reaped; its member index is returned for
 * the caller to walk room by room.
 * KEYS: node-alive key, node-registered key, node-peers set. ARGV: '1' when the node must be dead.
 * Returns -1 when the node is alive, else its index entries (`room<US>peerId`).
 */
export const CLAIM_NODE_LUA = `
if ARGV[1] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then
  return -1
end
redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
return redis.call('SMEMBERS', KEYS[3])
`;

/**
 * Whether a node taken out may leave the registry: its index is empty (every member
 * walked) and, when it had to be dead, it did not come back meanwhile.
 * KEYS: node-alive key, node-peers set. ARGV: '1' when the node must be dead. Returns 1 or 0.
 */
export const NODE_GONE_LUA = `
if ARGV[1] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
if redis.call('SCARD', KEYS[2]) > 0 then
  return 0
end
return 1
`;
