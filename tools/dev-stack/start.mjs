#!/usr/bin/env node
// `npm start`: builds the apps of this checkout and runs the whole stack on loopback with
// in-memory state: prefixed logs, a list of URLs once every /readyz answers, and a clean
// stop of every child on Ctrl-C or SIGTERM. Ports: DESIGN.md §3, overridable (README).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { presentApps, root, stackEnvironment } from './stack.mjs';

const apps = presentApps();
const { ports, shared } = stackEnvironment();
const colors = [36, 33, 35, 32, 34, 91, 92, 93, 94, 95];
const width = Math.max(...apps.map((a) => a.name.length));
const tag = (name, i) => (process.stdout.isTTY ? `\x1b[${colors[i % colors.length]}m${name.padEnd(width)}\x1b[0m` : name.padEnd(width));
const say = (line) => process.stdout.write(`${'stack'.padEnd(width)} | ${line}\n`);

for (const app of apps) {
  const build = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), app.name], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(build.stderr + build.stdout);
    process.exit(1);
  }
}
say(`built ${apps.map((a) => a.name).join(', ')}`);

const children = new Map();
let stopping = false;

function start(app, i) {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', app.name, 'main.js')], {
    cwd: root,
    env: { ...process.env, ...shared, PORT: String(ports[app.name]) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(app.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag(app.name, i)} | ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    children.delete(app.name);
    if (!stopping) {
      say(`${app.name} exited unexpectedly (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
}

async function waitReady(app, timeoutMs = Number(process.env.STACK_READY_TIMEOUT_MS ?? 120_000)) {
  const url = `http://127.0.0.1:${ports[app.name]}/readyz`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  const exits = [...children.entries()].reverse().map(
    ([name, child]) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(name);
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(exits);
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

apps.forEach(start);
const ready = await Promise.all(apps.map((a) => waitReady(a)));
if (stopping) process.exit(1);
const notReady = apps.filter((_, i) => !ready[i]).map((a) => a.name);
if (notReady.length > 0) {
  say(`not ready in time: ${notReady.join(', ')}`);
  await stop(1);
}
say('ready:');
for (const app of apps) say(`  ${app.name.padEnd(width)}  http://localhost:${ports[app.name]}`);
say('Ctrl-C stops everything.');
