import { REDIS_RECONNECT_MAX_DELAY_MS, redisRetryStrategy } from './redis-retry-strategy';

describe(redisRetryStrategy.name, () => {
  it('starts near 100 ms and doubles', () => {
    expect([1, 2, 3, 4].map((attempt) => redisRetryStrategy(attempt, () => 1))).toEqual([100, 200, 400, 800]);
  });

  it('never waits longer than the cap, however long the outage', () => {
    for (const attempt of [6, 10, 100, 10_000]) expect(redisRetryStrategy(attempt, () => 1)).toBe(REDIS_RECONNECT_MAX_DELAY_MS);
  });

  it('keeps at least half the delay when jittered, so attempts stay spaced', () => {
    expect(redisRetryStrategy(100, () => 0)).toBe(REDIS_RECONNECT_MAX_DELAY_MS / 2);
    expect(redisRetryStrategy(1, () => 0)).toBe(50);
  });
});
