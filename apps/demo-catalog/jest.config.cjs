module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo-catalog',
  rootDir: __dirname,
};
