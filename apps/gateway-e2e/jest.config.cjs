module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'gateway-e2e',
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 30_000,
};
