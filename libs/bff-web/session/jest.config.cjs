module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-web-session',
  rootDir: __dirname,
};
