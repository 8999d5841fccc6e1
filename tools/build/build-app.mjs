#!/usr/bin/env node
// Builds one deployable app into dist/apps/<name>: SWC transpiles the app and the libs it
// can import (decorator metadata included, which esbuild lacks and Nest DI needs), the
// workspace path aliases are rewritten to relative requires, and dist/apps/<name>/main.js
// starts it. Type-checking is the `typecheck` target's job; this stays fast (< 1 s).
import { transformFile } from '@swc/core';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const name = process.argv[2];
if (!name) {
  console.error('usage: build-app.mjs <app-name>');
  process.exit(2);
}
// Deployables live in apps/<name>; runnable workspace tools (benchmarks) in tools/<name>.
const home = ['apps', 'tools'].find((dir) => fs.existsSync(path.join(root, dir, name, 'project.json')));
if (!home) {
  console.error(`no app named ${name} in apps/ or tools/`);
  process.exit(2);
}
const appDir = path.join(root, home, name);
const outDir = path.join(root, 'dist', home, name);
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));

function sources(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !/\.(spec|fixture|d)\.ts$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name));
}

const libSources = fs.readdirSync(path.join(root, 'libs'), { recursive: true, withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name === 'src' && fs.existsSync(path.join(d.parentPath, 'project.json')))
  .flatMap((d) => sources(path.join(d.parentPath, d.name)));
const files = [...sources(path.join(appDir, 'src')), ...libSources];

fs.rmSync(outDir, { recursive: true, force: true });
const options = {
  ...swcrc,
  exclude: undefined,
  $schema: undefined,
  jsc: { ...swcrc.jsc, baseUrl: root, paths: compilerOptions.paths },
  sourceMaps: true,
};
await Promise.all(files.map(async (file) => {
  const rel = path.relative(root, file);
  const out = path.join(outDir, rel.replace(/\.ts$/, '.js'));
  const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
  if (map) fs.writeFileSync(`${out}.map`, map);
}));

// Deploy-time data beside the code: apps/<name>/config and apps/<name>/assets.
for (const extra of ['config', 'assets']) {
  const from = path.join(appDir, extra);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(outDir, home, name, extra), { recursive: true });
}
fs.writeFileSync(path.join(outDir, 'main.js'), `'use strict';\nrequire('./${home}/${name}/src/main.js');\n`);
console.log(`built ${name}: ${files.length} files -> ${path.relative(root, outDir)}`);
