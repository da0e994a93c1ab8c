/**
 * Registered nodes whose alive key expired.
 * KEYS: nodes hash. ARGV: alive key prefix. Returns node ids.
 */
export const DEAD_NODES_LUA = `
local dead = {}
for _, node in ipairs(redis.call('HKEYS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. node) == 0 then
    table.insert(dead, node)
  end
end
return dead
`;
