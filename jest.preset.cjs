// Shared Jest settings: @swc/jest (no type-check; `typecheck` targets do that), workspace
// path aliases from tsconfig.base.json, and ESM-only packages (jose, oidc-provider,
// openid-client, oauth4webapi) transformed to CommonJS because Jest cannot require(esm).
const path = require('node:path');
const fs = require('node:fs');

const root = __dirname;
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(root, target);
}

const esmOnly = ['jose', 'oidc-provider', 'openid-client', 'oauth4webapi', 'quick-lru', 'nanoid', '@koa', 'koa', 'eta', '@seriousme'];

const swcOptions = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  // The root .swcrc (for builds) excludes spec files; tests must not read it.
  swcrc: false,
};

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', swcOptions],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  clearMocks: true,
};
module.exports.passWithNoTests = true;
