module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-mobile-e2e',
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 60_000,
  // Each file starts its own stack (dev-idp, four services, bff-mobile): one at a time, so
  // start-up stays quick on a two-core machine shared with other suites.
  maxWorkers: 1,
};
