module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-auth',
  rootDir: __dirname,
};
