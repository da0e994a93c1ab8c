/**
 * Extends a lease only if this holder still has it (another may have taken it after it expired).
 * KEYS: lease key. ARGV: holder, ttl ms. Returns 1 (held) or 0 (lost).
 */
export const RENEW_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`;

/** Deletes a lease only if this holder has it. KEYS: lease key. ARGV: holder. */
export const RELEASE_LEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
