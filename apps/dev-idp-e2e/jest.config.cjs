module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'dev-idp-e2e',
  rootDir: __dirname,
  // Builds dist/apps/dev-idp once before the workers start: builds from parallel workers
  // would race on dist/ while another worker's dev-idp is starting from it.
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 30_000,
};
