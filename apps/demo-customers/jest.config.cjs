module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'demo-customers',
  rootDir: __dirname,
};
