module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-server',
  rootDir: __dirname,
};
