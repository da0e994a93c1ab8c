module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'gateway-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  // suites of a Redis Cluster only (a master killed) run in jest.cluster.config.cjs
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/cluster/'],
  testTimeout: 60_000,
};
