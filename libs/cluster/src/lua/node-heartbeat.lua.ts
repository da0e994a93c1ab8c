import { REDIS_NOW_MS_LUA } from '../resume/forget-resume-state.lua';

/**
 * Refreshes a node's TTL. If the node was registered before and is not any more,
 * survivors reaped it (e.g. after a long pause), or Redis lost its keys (restarted
 * empty): report that instead of silently coming back with members the cluster may
 * have dropped. Keys of the node's slot; its status in `sg:nodes` is written after.
 * A beat also clears any suspicion survivors raised while it could not beat.
 * KEYS: node-alive key, node-registered key, node-suspect key. ARGV: ttl ms, first beat (1/0).
 * Returns 1 (alive) or 0 (reaped).
 */
export const NODE_HEARTBEAT_LUA = `
if ARGV[2] == '0' and redis.call('EXISTS', KEYS[2]) == 0 then
  return 0
end
redis.call('SET', KEYS[2], '1')
redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
redis.call('DEL', KEYS[3])
return 1
`;

/**
 * Starts taking a node out: a dead one (its TTL ran out; skipped if it beats again
 * before this runs) or a draining one leaving. It is deregistered at once, so if it was
 * only paused its next heartbeat learns it was reaped; its member index is returned for
 * the caller to walk room by room.
 *
 * With a grace (a Redis Cluster), a node found without its TTL key is first only suspected,
 * and taken out once it stayed so for the grace, on its slot's clock: when its slot's master
 * fails over for longer than the TTL, the key runs out though the node lives, and its next
 * beat, at most an interval after the promotion, clears the suspicion.
 * KEYS: node-alive key, node-registered key, node-peers set, node-suspect key.
 * ARGV: '1' when the node must be dead, grace ms (0 = none).
 * Returns -1 when the node is alive or only suspected, else its index entries (`room<US>peerId`).
 */
export const CLAIM_NODE_LUA = `${REDIS_NOW_MS_LUA}
if ARGV[1] == '1' then
  if redis.call('EXISTS', KEYS[1]) == 1 then
    return -1
  end
  local grace = tonumber(ARGV[2])
  if grace > 0 then
    local now = redisNowMs()
    local since = redis.call('GET', KEYS[4])
    if not since then
      redis.call('SET', KEYS[4], now, 'PX', grace * 10)
      return -1
    end
    if now - tonumber(since) < grace then
      return -1
    end
  end
end
redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[4])
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
