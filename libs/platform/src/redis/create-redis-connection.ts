import Redis from 'ioredis';

/**
 * One ioredis connection with fail-fast settings: a command waits through at
 * most one reconnect attempt, so admission answers 1013 instead of hanging
 * while Redis is away.
 */
export function createRedisConnection(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
  });
}
