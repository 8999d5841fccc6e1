module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-mobile-e2e',
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 60_000,
  // Each file starts its own stack (dev-idp, four services, bff-mobile): two at a time fit the machine.
  maxWorkers: 2,
};
