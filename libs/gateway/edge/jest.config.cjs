module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'gateway-edge',
  rootDir: __dirname,
};
