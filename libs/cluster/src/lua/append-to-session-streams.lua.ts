/**
 * One XADD per session-event shard stream in KEYS (one Redis only: the streams are on
 * different slots). ARGV[1] is MAXLEN, then for each key its batch, writer and sequence
 * numbers. One call per write instead of one per shard. Returns the number of entries added.
 */
export const APPEND_TO_SESSION_STREAMS_LUA = `
for i = 1, #KEYS do
  local at = i * 3 - 1
  redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*', 'b', ARGV[at], 'w', ARGV[at + 1], 's', ARGV[at + 2])
end
return #KEYS
`;
