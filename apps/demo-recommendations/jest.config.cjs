module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo-recommendations',
  rootDir: __dirname,
};
