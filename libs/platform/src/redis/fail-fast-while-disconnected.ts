import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * The circuit breaker of a Redis connection. Closed while the connection is
 * ready; open from the moment it is lost: every command fails at once instead
 * of waiting in ioredis's offline queue, which has no bound and would hold a
 * join for seconds before its 1013 and pile up work for the moment Redis
 * returns. ioredis's reconnect attempts (`redisRetryStrategy`, at most one per
 * 2 s) are the half-open probes; the first that succeeds closes it again.
 *
 * The offline queue stays on until the first `ready`, so commands an app
 * issues while it starts still wait for the first connection.
 */
export function failFastWhileDisconnected(redis: Redis, connectionName: string): void {
  const logger = new Logger('Redis');
  let lost = false;
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
    // commands already sent when the connection drops fail then, not after further attempts
    redis.options.maxRetriesPerRequest = 0;
  });
  redis.on('ready', () => {
    if (lost) logger.log(`${connectionName}: Redis answers again, commands run again`);
    lost = false;
  });
  redis.on('close', () => {
    if (!lost && redis.options.enableOfflineQueue === false) {
      logger.warn(`${connectionName}: lost Redis; commands fail at once until a reconnect succeeds`);
      lost = true;
    }
  });
  // ioredis reports each failed reconnect as an error event; the transitions above are the log
  redis.on('error', () => undefined);
  // a duplicate copies the options as they are now: it must start like the original did
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = (override) => {
    const copy = duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1, ...override });
    failFastWhileDisconnected(copy, `${connectionName}-copy`);
    return copy;
  };
}
