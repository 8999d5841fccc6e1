module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'bff-partner',
  rootDir: __dirname,
};
