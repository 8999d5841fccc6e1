module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-partner-api-keys',
  rootDir: __dirname,
};
