module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-state',
  rootDir: __dirname,
};
