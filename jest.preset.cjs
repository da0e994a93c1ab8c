// Shared Jest settings: every project's jest.config.cjs spreads this.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
    // the meilisearch client and jose ship only ES modules; Jest's CommonJS runtime needs them transpiled
    '^.+/node_modules/(meilisearch|jose)/.+\\.js$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec-esm-deps.json') }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(meilisearch|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@sg/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 20_000,
};

