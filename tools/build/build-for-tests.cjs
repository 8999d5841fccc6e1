// Jest globalSetup factory for black-box test projects: builds the apps under test once,
// before the workers start (SWC, well under a second each), so that e2e tests run current
// code and parallel workers never race on dist/.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

module.exports = (apps) => async () => {
  const root = path.resolve(__dirname, '../..');
  for (const app of apps) {
    const run = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), app], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`build of ${app} failed:\n${run.stderr}${run.stdout}`);
  }
};
