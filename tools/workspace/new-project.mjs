#!/usr/bin/env node
// Scaffolds a project the way every project here is laid out (project.json with tags,
// tsconfig.json, jest.config.cjs, eslint.config.mjs, src/index.ts or src/main.ts).
// usage: node tools/workspace/new-project.mjs <lib|app|e2e> <dir> <name> <type:x> <scope:y>
import fs from 'node:fs';
import path from 'node:path';

const [kind, dir, name, ...tags] = process.argv.slice(2);
if (!kind || !dir || !name || tags.length < 2) {
  console.error('usage: new-project.mjs <lib|app|e2e> <dir> <name> <type:x> <scope:y>');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '../..');
const abs = path.join(root, dir);
const up = path.relative(abs, root) || '.';
fs.mkdirSync(path.join(abs, 'src'), { recursive: true });
const write = (file, text) => {
  const p = path.join(abs, file);
  if (!fs.existsSync(p)) fs.writeFileSync(p, text);
};
const targets = { typecheck: {} };
if (kind === 'app') {
  targets.build = { executor: 'nx:run-commands', options: { command: `node tools/build/build-app.mjs ${name}` }, outputs: [`{workspaceRoot}/dist/apps/${name}`] };
  targets.serve = { executor: 'nx:run-commands', continuous: true, dependsOn: ['build'], options: { command: `node dist/apps/${name}/main.js` } };
}
write('project.json', JSON.stringify({
  name,
  $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${dir}/src`,
  projectType: kind === 'lib' ? 'library' : 'application',
  tags,
  targets,
}, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({
  extends: `${up}/tsconfig.base.json`,
  compilerOptions: { types: ['node', 'jest'] },
  include: ['src/**/*.ts'],
  exclude: ['**/*.fixture.ts'],
}, null, 2) + '\n');
write('jest.config.cjs', `module.exports = {\n  ...require('${up}/jest.preset.cjs'),\n  displayName: '${name}',\n  rootDir: __dirname,\n};\n`);
write('eslint.config.mjs', `export { default } from '${up}/eslint.config.mjs';\n`);
if (kind === 'lib') write('src/index.ts', '');
if (kind === 'app') write('src/main.ts', '');
console.log(`created ${dir} (${name}; ${tags.join(', ')})`);
