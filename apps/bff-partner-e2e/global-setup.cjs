module.exports = require('../../tools/build/build-for-tests.cjs')(['dev-idp', 'demo-orders', 'demo-catalog', 'bff-partner', 'partner-keys']);
