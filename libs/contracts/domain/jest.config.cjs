module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'contracts-domain',
  rootDir: __dirname,
};
