/**
 * One atomic step for a batch of rate-limit keys, so every node's answer
 * includes the events other nodes added before it (PROTOCOL section 1 limits
 * hold across nodes). KEYS: per key, its window's counter then the previous
 * window's. ARGV[1]: counter TTL in ms; ARGV[1 + i]: delta of key i (0 = read).
 * Returns, per key, {current, previous}, flattened.
 */
export const RATE_WINDOWS_LUA = `
local ttl = ARGV[1]
local out = {}
for i = 1, #KEYS, 2 do
  local delta = tonumber(ARGV[(i + 1) / 2 + 1])
  local current
  if delta > 0 then
    current = redis.call('INCRBY', KEYS[i], delta)
    if current == delta then redis.call('PEXPIRE', KEYS[i], ttl) end
  else
    current = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
  out[#out + 1] = current
  out[#out + 1] = tonumber(redis.call('GET', KEYS[i + 1]) or '0')
end
return out
`;
