module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo-services-e2e',
  rootDir: __dirname,
  // Builds the services (and dev-idp) once before the workers start, so tests run current
  // code and parallel workers never race on dist/.
  globalSetup: '<rootDir>/global-setup.cjs',
  testTimeout: 30_000,
};
