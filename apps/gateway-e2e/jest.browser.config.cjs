// Browser WebRTC scenarios: Chromium, coturn and the apps in a network namespace with only
// loopback (tools/run-in-loopback-netns.mjs, Nx target gateway-e2e:browser).
module.exports = {
  ...require('../../jest.preset-redis.cjs'),
  displayName: 'gateway-browser',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/browser/**/*.browser-spec.ts'],
  testTimeout: 45_000,
};
