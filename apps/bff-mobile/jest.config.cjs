module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-mobile',
  rootDir: __dirname,
};
