module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'bff-partner-idempotency',
  rootDir: __dirname,
};
