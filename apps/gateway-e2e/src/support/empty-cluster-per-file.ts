import { flushTestRedisCluster } from '@sg/testing';

// jest.cluster.config.cjs: every file starts on an empty Redis Cluster (flushTestRedisCluster)
beforeAll(() => flushTestRedisCluster(), 30_000);
