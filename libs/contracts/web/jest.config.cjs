module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'contracts-web',
  rootDir: __dirname,
};
