module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'partner-keys',
  rootDir: __dirname,
};
