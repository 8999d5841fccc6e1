#!/usr/bin/env node
// Builds one deployable app into dist/apps/<name>: SWC transpiles the app and the libs it
// can import (decorator metadata included, which esbuild lacks and Nest DI needs), the
// workspace path aliases are rewritten to relative requires, and dist/apps/<name>/main.js
// starts it. Type-checking is the `typecheck` target's job; this stays fast (< 1 s).
import { transformFile } from '@swc/core';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { shareReexportGetters } from './share-reexport-getters.cjs';

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

// Builds are content-addressed and atomic: several test projects (run in parallel by Nx)
// build the same apps, and a process started from dist/ must never see half a build.
const inputs = [...files, path.join(root, 'tsconfig.base.json'), path.join(root, '.swcrc'), import.meta.filename, path.join(import.meta.dirname, 'share-reexport-getters.cjs')].sort();
// Front-ends the app serves (project.json `metadata.frontends`) are part of its build.
const { metadata } = JSON.parse(fs.readFileSync(path.join(appDir, 'project.json'), 'utf8'));
const frontends = metadata?.frontends ?? [];
const extraDirs = [...['config', 'assets'].map((d) => path.join(appDir, d)), ...frontends.map((f) => path.join(root, 'apps', f))].filter((d) => fs.existsSync(d));
for (const dir of extraDirs) for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) if (f.isFile()) inputs.push(path.join(f.parentPath, f.name));
const hash = createHash('sha256');
for (const file of inputs) hash.update(file).update('\0').update(fs.readFileSync(file)).update('\0');
const digest = hash.digest('hex');
const stamp = path.join(outDir, '.build-hash');
const upToDate = () => fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest;
if (upToDate()) {
  console.log(`${name} is up to date`);
  process.exit(0);
}
const lock = path.join(root, 'dist', '.locks', `${home}-${name}`);
fs.mkdirSync(path.dirname(lock), { recursive: true });
for (let waited = 0; ; waited += 50) {
  try {
    fs.mkdirSync(lock);
    break;
  } catch {
    if (Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 60_000) fs.rmSync(lock, { recursive: true, force: true });
    if (waited > 60_000) throw new Error(`timed out waiting for the build lock of ${name}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
process.on('exit', () => fs.rmSync(lock, { recursive: true, force: true }));
if (upToDate()) {
  console.log(`${name} is up to date`);
  process.exit(0);
}
const finalDir = outDir;
const tmpDir = `${outDir}.tmp-${process.pid}`;
fs.rmSync(tmpDir, { recursive: true, force: true });
const options = {
  ...swcrc,
  exclude: undefined,
  $schema: undefined,
  jsc: { ...swcrc.jsc, baseUrl: root, paths: compilerOptions.paths },
  sourceMaps: true,
};
await Promise.all(files.map(async (file) => {
  const rel = path.relative(root, file);
  const out = path.join(tmpDir, rel.replace(/\.ts$/, '.js'));
  const { code, map } = await transformFile(file, { ...options, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${shareReexportGetters(code, rel)}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
  if (map) fs.writeFileSync(`${out}.map`, map);
}));

// Deploy-time data beside the code: apps/<name>/config and apps/<name>/assets.
for (const extra of ['config', 'assets']) {
  const from = path.join(appDir, extra);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(tmpDir, home, name, extra), { recursive: true });
}
// Each apps/<frontend>/build.mjs builds itself into the app's assets, so whatever ships the
// app ships its front-ends too.
for (const frontend of frontends) {
  const { build } = await import(pathToFileURL(path.join(root, 'apps', frontend, 'build.mjs')).href);
  await build(path.join(tmpDir, home, name, 'assets', frontend));
}
fs.writeFileSync(path.join(tmpDir, 'main.js'), `'use strict';\nrequire('./${home}/${name}/src/main.js');\n`);
fs.writeFileSync(path.join(tmpDir, '.build-hash'), digest);
const oldDir = `${finalDir}.old-${process.pid}`;
if (fs.existsSync(finalDir)) fs.renameSync(finalDir, oldDir);
fs.renameSync(tmpDir, finalDir);
fs.rmSync(oldDir, { recursive: true, force: true });
console.log(`built ${name}: ${files.length} files -> ${path.relative(root, finalDir)}`);
