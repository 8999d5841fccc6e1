module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-web-oidc',
  rootDir: __dirname,
};
