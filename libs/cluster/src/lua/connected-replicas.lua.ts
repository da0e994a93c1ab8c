/** How many replicas the master of the key's slot has connected now. KEYS: any key of that slot. */
export const CONNECTED_REPLICAS_LUA = `
return tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)')) or 0
`;
