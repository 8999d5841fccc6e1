#!/usr/bin/env node
// Builds the SPA into a directory (default dist/apps/web-app); tools/build/build-app.mjs calls
// build() for every app that lists web-app in its project.json `metadata.frontends`, which
// puts it into that app's assets (bff-web serves it at /web/).
//
// No bundler: SWC strips the types of each file and keeps ES modules; workspace aliases
// (only @edge/contracts-*: wire constants and DTO types) become relative paths to their
// compiled files, laid out as in the workspace. index.html and the CSS are copied as they are.
import { transformFile } from '@swc/core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '../..');
const appDir = path.join(root, 'apps/web-app');
const sharedLibs = ['libs/contracts/web/src'];

function sources(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !/\.(spec|d)\.ts$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name));
}

export async function build(outDir) {
  const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const allowed = Object.fromEntries(Object.entries(compilerOptions.paths).filter(([alias]) => alias.startsWith('@edge/contracts-')));
  fs.rmSync(outDir, { recursive: true, force: true });
  const files = [...sources(path.join(appDir, 'src')), ...sharedLibs.flatMap((lib) => sources(path.join(root, lib)))];
  await Promise.all(files.map(async (file) => {
    const { code } = await transformFile(file, {
      swcrc: false,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' }, baseUrl: root, paths: allowed },
      module: { type: 'es6', resolveFully: true },
    });
    // A browser cannot load Node packages or server libs: only relative imports may remain.
    const bare = [...code.matchAll(/\bfrom\s+["']([^"']+)["']/g)].map((m) => m[1]).filter((s) => !s.startsWith('.'));
    if (bare.length > 0) throw new Error(`${path.relative(root, file)} imports ${bare.join(', ')}: the SPA may import only relative files and @edge/contracts-*`);
    const out = path.join(outDir, path.relative(root, file).replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
  }));
  for (const name of fs.readdirSync(path.join(appDir, 'src'))) {
    if (/\.(html|css|svg|ico|png)$/.test(name)) fs.copyFileSync(path.join(appDir, 'src', name), path.join(outDir, name));
  }
  return files.length;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = path.resolve(process.argv[2] ?? path.join(root, 'dist/apps/web-app'));
  const count = await build(outDir);
  console.log(`built web-app: ${count} files -> ${path.relative(root, outDir)}`);
}
