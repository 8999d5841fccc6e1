module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'contracts-mobile',
  rootDir: __dirname,
};
