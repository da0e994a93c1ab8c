// Shared Jest settings: every project's jest.config.cjs spreads this.
const path = require('node:path');

// Dependencies that ship only ES modules; Jest's CommonJS runtime needs them transformed. The
// OpenTelemetry ones ship CommonJS but load `http`, `https` and the host's machine id with a
// dynamic import(), which Jest's runtime refuses without its ESM mode: the transform makes those require().
const ESM_ONLY = ['@nestjs', 'meilisearch', 'jose', 'file-type', 'strtok3', 'token-types', 'uint8array-extras', '@tokenizer', '@borewit', '@opentelemetry/otlp-exporter-base', '@opentelemetry/resources'];
const esmOnly = `(${ESM_ONLY.map((name) => name.replace('/', '\\/')).join('|')})`;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
    [`^.+/node_modules/${esmOnly}/.+\\.js$`]: path.join(__dirname, 'tools/jest-esm-dependency-transform.cjs'),
  },
  transformIgnorePatterns: [`/node_modules/(?!${esmOnly}/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@sg/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 20_000,
};
