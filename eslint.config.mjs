import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const TRANSPORT_AND_FRAMEWORK = ['@nestjs/*', 'nestjs-*', '@willsoto/*', 'ioredis', 'ws', 'better-sqlite3', 'meilisearch', 'werift', 'express', 'prom-client', 'pino*'];

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
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:platform', 'type:infra', 'type:domain', 'type:contract'],
            },
            {
              sourceTag: 'type:platform',
              onlyDependOnLibsWithTags: ['type:platform', 'type:infra', 'type:domain', 'type:contract'],
            },
            {
              sourceTag: 'type:infra',
              onlyDependOnLibsWithTags: ['type:domain', 'type:contract'],
              bannedExternalImports: ['@nestjs/*', 'nestjs-*', '@willsoto/*', 'express', 'ws', 'werift'],
            },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:contract'],
              bannedExternalImports: TRANSPORT_AND_FRAMEWORK,
            },
            {
              sourceTag: 'type:contract',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: TRANSPORT_AND_FRAMEWORK,
            },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:infra', 'type:domain', 'type:contract'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:testing', 'type:contract'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
