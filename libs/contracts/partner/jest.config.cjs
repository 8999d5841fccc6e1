module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'contracts-partner',
  rootDir: __dirname,
};
