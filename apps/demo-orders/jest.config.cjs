module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo-orders',
  rootDir: __dirname,
};
