import { startRedisServer, testRedisEnv, testRedisMode } from '@sg/testing';

/** A suite's Redis: the variables that point an app at it, and how to let it go. */
export interface SuiteRedis {
  readonly env: Record<string, string>;
  /** The private redis-server's URL; a suite on the Redis Cluster has none (use `env`). */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A private redis-server, for a suite that kills processes or makes many connections (all
 * tests connect from 127.0.0.1, so a shared Redis would count them in other files' rate
 * limits); or, when the suite runs on the Redis Cluster (`E2E_REDIS=cluster`), the run's
 * cluster, which every file there starts empty (`empty-cluster-per-file.ts`).
 */
export async function suiteRedis(): Promise<SuiteRedis> {
  if (testRedisMode() === 'cluster') {
    return {
      env: testRedisEnv(),
      get url(): string {
        throw new Error('this suite runs on the Redis Cluster: point apps at it with `env`');
      },
      stop: async () => undefined,
    };
  }
  const redis = await startRedisServer();
  return { env: { REDIS_URL: redis.url }, url: redis.url, stop: () => redis.stop() };
}

