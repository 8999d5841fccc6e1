module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'platform-problem-details',
  rootDir: __dirname,
};
