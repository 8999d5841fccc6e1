// Jest globalSetup: build the apps under test once (SWC, well under a second each), so the
// tests run current code and parallel workers never race on dist/.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const apps = ['dev-idp', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations', 'bff-mobile'];

module.exports = function buildMobileStack() {
  const root = path.resolve(__dirname, '../..');
  for (const app of apps) {
    const result = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), app], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build of ${app} failed:\n${result.stderr}${result.stdout}`);
  }
};
