module.exports = require('../../tools/build/build-for-tests.cjs')(['gateway', 'demo-catalog']);
