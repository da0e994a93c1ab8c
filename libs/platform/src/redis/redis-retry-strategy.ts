/** The first reconnect waits about this long; each failed attempt doubles it. */
const FIRST_DELAY_MS = 100;
/**
 * The longest wait between two reconnect attempts while Redis is away: one
 * attempt per connection every 1 to 2 s, however long the outage, instead of
 * a connect storm; and Redis is noticed again within 2 s once it is back.
 */
export const REDIS_RECONNECT_MAX_DELAY_MS = 2_000;

/**
 * ioredis's `retryStrategy`: capped exponential backoff with jitter, so the
 * nodes of a cluster that lost Redis together do not all reconnect in the
 * same millisecond when it returns. `random` is injectable for tests.
 */
export function redisRetryStrategy(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1), REDIS_RECONNECT_MAX_DELAY_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
