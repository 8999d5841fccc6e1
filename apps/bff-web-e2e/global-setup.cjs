module.exports = require('../../tools/build/build-for-tests.cjs')(['bff-web', 'dev-idp', 'gateway', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations']);
