module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'demo-kit',
  rootDir: __dirname,
};
