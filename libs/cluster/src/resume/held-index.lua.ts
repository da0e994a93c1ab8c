import { REDIS_NOW_MS_LUA } from './forget-resume-state.lua';

/**
 * Adds holds to the sweep's index, due a window from now on the index's clock.
 * KEYS: held peers index. ARGV: window ms, members... Returns the number added.
 */
export const INDEX_HOLDS_LUA = `${REDIS_NOW_MS_LUA}
local due = redisNowMs() + tonumber(ARGV[1])
local added = 0
for i = 2, #ARGV do
  added = added + redis.call('ZADD', KEYS[1], due, ARGV[i])
end
return added
`;

/**
 * Takes the index members due now (on the index's clock), oldest first: each is pushed a
 * lease into the future, so sweepers running at once (every node, and every lost peer's own
 * timer) take different ones; the taker removes or reschedules what it took, and what a
 * taker that died held comes due again when the lease runs out.
 * KEYS: held peers index. ARGV: limit, lease ms. Returns members.
 */
export const DUE_HOLDS_LUA = `${REDIS_NOW_MS_LUA}
local now = redisNowMs()
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, member in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), member)
end
return due
`;

/**
 * Moves index members still present to when their room says their window ends.
 * KEYS: held peers index. ARGV: member, ms, member, ms, ...
 */
export const RESCHEDULE_HOLDS_LUA = `${REDIS_NOW_MS_LUA}
local now = redisNowMs()
for i = 1, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[i + 1]), ARGV[i])
end
return 0
`;
