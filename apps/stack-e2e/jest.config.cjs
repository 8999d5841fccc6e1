module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'stack-e2e',
  rootDir: __dirname,
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 240_000,
};
