// One flat ESLint config for the whole workspace. Module boundaries implement the
// type × scope matrix of DESIGN.md §2; tools/lint/boundaries.spec.ts proves a violation fails.
import nx from '@nx/eslint-plugin';

const transportPackages = ['axios', '@nestjs/axios', 'undici', 'opossum', 'ioredis', 'redis', '@redis/*'];
const noTransport = (sourceTag) => ({ sourceTag, bannedExternalImports: transportPackages });

export const boundaryRule = [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    // Apps and features reach I/O through data-access libs: only direct imports are banned.
    checkNestedExternalImports: false,
    allow: [],
    depConstraints: [
      // type: what a project may depend on, by its kind
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contract'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:util', 'type:contract'] },
      { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contract'] },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contract'] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:util', 'type:contract'] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contract'] },
      { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'] },
      // scope: whose code it is; a BFF never reaches into another BFF's scope
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
      { sourceTag: 'scope:bff-web', onlyDependOnLibsWithTags: ['scope:shared', 'scope:bff-web'] },
      { sourceTag: 'scope:bff-mobile', onlyDependOnLibsWithTags: ['scope:shared', 'scope:bff-mobile'] },
      { sourceTag: 'scope:bff-partner', onlyDependOnLibsWithTags: ['scope:shared', 'scope:bff-partner'] },
      { sourceTag: 'scope:demo', onlyDependOnLibsWithTags: ['scope:shared', 'scope:demo'] },
      { sourceTag: 'scope:dev', onlyDependOnLibsWithTags: ['scope:shared', 'scope:dev'] },
      { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['*'] },
      // I/O clients only in data-access libs (and the testing kit / black-box tests)
      noTransport('type:app'),
      noTransport('type:feature'),
      noTransport('type:util'),
      noTransport('type:contract'),
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/coverage', '**/test-output', '**/*.fixture.ts', '**/out-tsc'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': boundaryRule,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    // Unit tests may use the testing kit (free ports, echo upstreams, token minting).
    files: ['**/*.spec.ts'],
    rules: {
      // ...and talk to real servers directly (undici as an HTTP client, ioredis...).
      '@nx/enforce-module-boundaries': [
        boundaryRule[0],
        { ...boundaryRule[1], allow: ['@edge/testing'], depConstraints: boundaryRule[1].depConstraints.filter((c) => !c.bannedExternalImports) },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Project config files reach the workspace root by design.
    files: ['**/*.cjs', '**/*.mjs', '**/jest.config.*'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@nx/enforce-module-boundaries': 'off' },
  },
];
