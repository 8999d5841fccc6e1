module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'gateway-proxy',
  rootDir: __dirname,
};
