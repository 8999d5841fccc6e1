module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'gateway-policies',
  rootDir: __dirname,
};
