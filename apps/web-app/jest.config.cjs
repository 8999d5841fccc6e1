module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'web-app',
  rootDir: __dirname,
};
