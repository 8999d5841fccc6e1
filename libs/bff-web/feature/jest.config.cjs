module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-web-feature',
  rootDir: __dirname,
};
