// Jest globalSetup: build the apps under test (SWC, well under a second each).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const apps = ['demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations', 'dev-idp'];

module.exports = function buildDemoServices() {
  const root = path.resolve(__dirname, '../..');
  for (const app of apps) {
    const result = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), app], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build of ${app} failed:\n${result.stderr}${result.stdout}`);
  }
};
