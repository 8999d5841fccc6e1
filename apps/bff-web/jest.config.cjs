module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-web',
  rootDir: __dirname,
};
