#!/usr/bin/env node
// Prints the deployable apps (a `build` target and a docker/<app>/Dockerfile) that a change
// between two git refs affects, one per line, or as a JSON array with --json (a CI matrix).
//
//   node tools/affected-deployables.mjs [--base <ref>] [--head <ref>] [--json]
//
// Nx's project graph decides (`nx show projects --affected`): a change to a lib affects every
// app that imports it, directly or through other libs; a change to an app affects that app;
// package-lock.json changes affect the apps using the changed packages; nx.json or
// tsconfig.base.json affect everything. On top of that, files Nx does not own: docker/<app>/
// affects that app's image, .dockerignore every image.
// Defaults: --base $NX_BASE (set by nrwl/nx-set-shas) or the merge base of HEAD with
// origin/main (or main); --head $NX_HEAD or HEAD.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function fail(message) {
  process.stderr.write(`affected-deployables: ${message}\n`);
  process.exit(2);
}

function git(...args) {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function parseArgs(argv) {
  const options = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--json') options.json = true;
    else if (flag === '--base' || flag === '--head') options[flag.slice(2)] = inline ?? argv[++i];
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write('usage: node tools/affected-deployables.mjs [--base <ref>] [--head <ref>] [--json]\n');
      process.exit(0);
    } else fail(`unknown argument ${argv[i]}`);
  }
  return options;
}

/** Apps that ship as images, by project name (apps/<dir>/project.json, docker/<name>/Dockerfile). */
function deployables() {
  const apps = new Map();
  for (const dir of readdirSync(path.join(root, 'apps'))) {
    const file = path.join(root, 'apps', dir, 'project.json');
    if (!existsSync(file)) continue;
    const project = JSON.parse(readFileSync(file, 'utf8'));
    const name = project.name ?? dir;
    if (project.targets?.build !== undefined && existsSync(path.join(root, 'docker', name, 'Dockerfile'))) apps.set(name, dir);
  }
  return apps;
}

const options = parseArgs(process.argv.slice(2));
const head = options.head ?? process.env.NX_HEAD ?? 'HEAD';
const base = options.base ?? process.env.NX_BASE ?? git('merge-base', 'origin/main', head) ?? git('merge-base', 'main', head);
if (!base) fail('no --base given and no merge base with origin/main or main found');
for (const ref of [base, head]) if (!git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`)) fail(`${ref} is not a commit`);

const nxPackage = path.join(root, 'node_modules/nx/package.json');
if (!existsSync(nxPackage)) fail('nx is not installed (npm ci)');
const nxBin = path.join(path.dirname(nxPackage), JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
const nx = spawnSync(
  process.execPath,
  [nxBin, 'show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--type=app', '--withTarget=build', '--json'],
  {
    cwd: root,
    encoding: 'utf8',
    // One short-lived process: no daemon, no cloud, plugins in-process (starting a worker per
    // plugin costs seconds and buys nothing here).
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_ISOLATE_PLUGINS: process.env.NX_ISOLATE_PLUGINS ?? 'false' },
  },
);
if (nx.status !== 0) fail(`nx show projects failed:\n${nx.stderr}${nx.stdout}`);
const jsonStart = nx.stdout.indexOf('[');
const affected = new Set(JSON.parse(nx.stdout.slice(jsonStart)));

const images = deployables();
const changed = (git('diff', '--name-only', `${base}...${head}`) ?? fail('git diff failed')).split('\n').filter(Boolean);
for (const file of changed) {
  const [top, name] = file.split('/');
  if (file === '.dockerignore') for (const app of images.keys()) affected.add(app);
  else if (top === 'docker' && name && images.has(name)) affected.add(name);
}

const result = [...images.keys()].filter((app) => affected.has(app)).sort();
process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : result.map((app) => `${app}\n`).join(''));
