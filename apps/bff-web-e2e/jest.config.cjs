module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-web-e2e',
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 120_000,
};
