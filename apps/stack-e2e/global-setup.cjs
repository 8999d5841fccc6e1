module.exports = require('../../tools/build/build-for-tests.cjs')(['gateway', 'dev-idp', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations']);
