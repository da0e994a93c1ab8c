// The shared Jest settings plus one throwaway redis-server per Jest run, for
// projects whose tests talk to Redis; pure unit tests need no server.
const path = require('node:path');

module.exports = {
  ...require('./jest.preset.cjs'),
  globalSetup: path.join(__dirname, 'libs/testing/src/jest/redis-global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest/redis-global-teardown.ts'),
};
