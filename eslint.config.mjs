import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// the OpenTelemetry SDK and API are the apps' and platform's: domain and contract carry trace context as W3C strings
const TRANSPORT_AND_FRAMEWORK = ['@nestjs/*', 'nestjs-*', '@willsoto/*', 'ioredis', 'ws', 'better-sqlite3', 'meilisearch', 'werift', 'express', 'prom-client', 'pino*', '@opentelemetry/*'];

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**/*.ts'];

/**
 * libs/cluster holds the Redis Streams transport, a Nest `CustomTransportStrategy` (STYLE.md: "A durable
 * transport (Redis Streams) is a CustomTransportStrategy in libs/cluster"): it may use Nest's transport API
 * (@nestjs/microservices, @nestjs/common), and its tests Nest's testing module; the rest of Nest stays out.
 */
const NEST_BEYOND_TRANSPORT = ['@nestjs/core', '@nestjs/config', '@nestjs/platform-*', '@nestjs/websockets', '@nestjs/terminus'];

/** Layering: apps -> platform / infra -> domain -> contract (STYLE.md). */
function depConstraints({ testsMayUseTestingLib, nestTransport = false }) {
  const testing = testsMayUseTestingLib ? ['type:testing'] : [];
  const nest = nestTransport ? [...NEST_BEYOND_TRANSPORT, ...(testsMayUseTestingLib ? [] : ['@nestjs/testing'])] : ['@nestjs/*'];
  return [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:infra', 'type:domain', 'type:contract', ...testing] },
    { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:infra', 'type:domain', 'type:contract', ...testing] },
    {
      sourceTag: 'type:infra',
      onlyDependOnLibsWithTags: ['type:domain', 'type:contract', ...testing],
      bannedExternalImports: [...nest, 'nestjs-*', '@willsoto/*', 'express', 'ws', 'werift', '@opentelemetry/*'],
    },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:contract', ...testing], bannedExternalImports: TRANSPORT_AND_FRAMEWORK },
    { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [...testing], bannedExternalImports: TRANSPORT_AND_FRAMEWORK },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:infra', 'type:domain', 'type:contract'] },
    { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:contract'] },
  ];
}

function boundaries(options) {
  return ['error', { enforceBuildableLibDependency: false, banTransitiveDependencies: false, allow: [], depConstraints: depConstraints(options) }];
}

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/coverage', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      'no-console': 'error',
      '@nx/enforce-module-boundaries': boundaries({ testsMayUseTestingLib: false }),
    },
  },
  {
    // tests may use the testing lib (throwaway Redis, app processes, werift helpers); production code may not
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries({ testsMayUseTestingLib: true }) },
  },
  {
    files: ['libs/cluster/**/*.ts'],
    ignores: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries({ testsMayUseTestingLib: false, nestTransport: true }) },
  },
  {
    files: ['libs/cluster/**/*.spec.ts', 'libs/cluster/**/*.int-spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries({ testsMayUseTestingLib: true, nestTransport: true }) },
  },
  {
    files: ['bench/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
