module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-http-client',
  rootDir: __dirname,
};
