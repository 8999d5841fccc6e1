module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-partner-e2e',
  rootDir: __dirname,
  // Builds dev-idp, the demo services, bff-partner and the partner-keys CLI once, before the workers start.
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 60_000,
};
