// Jest globalSetup: build the app under test (SWC, well under a second) so e2e runs current code.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = function buildDevIdp() {
  const root = path.resolve(__dirname, '../..');
  const result = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), 'dev-idp'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build of dev-idp failed:\n${result.stderr}${result.stdout}`);
};
