module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-composition',
  rootDir: __dirname,
};
