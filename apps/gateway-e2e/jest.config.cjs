module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'gateway-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
};
