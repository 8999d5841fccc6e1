module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-partner-api',
  rootDir: __dirname,
};
