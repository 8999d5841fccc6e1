#!/usr/bin/env node
// `npm start`: builds the apps of this checkout and runs the whole stack on loopback with
// in-memory state: prefixed logs, a list of URLs once every /readyz answers, and a clean
// stop of every child on Ctrl-C or SIGTERM. Ports: DESIGN.md §3, overridable (README).
//
// `npm run start:cluster` (--cluster): two instances of the gateway and of each BFF sharing
// one Redis (REDIS_URL, or a private redis-server), behind nginx on the usual ports.
// SIGUSR2 rolls the gateway and BFF instances: SIGTERM, wait, restart, wait ready, one at a time.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { balancedApps, instancePorts, writeNginxConfig } from './cluster.mjs';
import { heapFlags, presentApps, root, stackEnvironment } from './stack.mjs';

const cluster = process.argv.includes('--cluster');
const apps = presentApps();
const { ports, shared } = stackEnvironment();
const readyTimeoutMs = Number(process.env.STACK_READY_TIMEOUT_MS ?? 120_000);

for (const app of apps) {
  const build = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), app.name], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(build.stderr + build.stdout);
    process.exit(1);
  }
}

/** What runs: one unit per process, with how to start it and how to know it is ready. */
const units = [];
const clusterEnv = {};
let nginxDir; // nginx's config, pid and temp files: removed on stop
if (cluster) {
  if (!process.env.REDIS_URL) {
    const redisPort = Number(process.env.STACK_REDIS_PORT ?? 6390);
    clusterEnv.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
    units.push({ name: 'redis', command: 'redis-server', args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], ready: () => canConnect(redisPort) });
  } else clusterEnv.REDIS_URL = process.env.REDIS_URL;
  clusterEnv.GATEWAY_TRUSTED_PROXIES = '127.0.0.1/32';
  clusterEnv.SHUTDOWN_DRAIN_DELAY_MS = process.env.SHUTDOWN_DRAIN_DELAY_MS ?? '500';
}
for (const app of apps) {
  const main = path.join(root, 'dist/apps', app.name, 'main.js');
  const instances = cluster && balancedApps.includes(app.name) ? instancePorts(ports[app.name]).map((port, i) => ({ port, suffix: `#${i + 1}` })) : [{ port: ports[app.name], suffix: '' }];
  for (const { port, suffix } of instances) {
    units.push({
      name: app.name + suffix,
      app: app.name,
      balanced: suffix !== '',
      command: process.execPath,
      args: [...heapFlags(app.name), main],
      env: { ...shared, ...clusterEnv, PORT: String(port) },
      port,
      ready: () => httpOk(`http://127.0.0.1:${port}/readyz`),
    });
  }
}
if (cluster) {
  const nginx = writeNginxConfig(ports);
  nginxDir = nginx.dir;
  units.push({ name: 'nginx', command: nginx.nginx, args: ['-c', nginx.file, '-p', nginx.dir], ready: () => Promise.all(balancedApps.filter((a) => ports[a] && apps.some((x) => x.name === a)).map((a) => httpOk(`http://127.0.0.1:${ports[a]}/healthz`))).then((r) => r.every(Boolean)) });
}

const colors = [36, 33, 35, 32, 34, 91, 92, 93, 94, 95];
const width = Math.max(5, ...units.map((u) => u.name.length));
const tag = (name, i) => (process.stdout.isTTY ? `\x1b[${colors[i % colors.length]}m${name.padEnd(width)}\x1b[0m` : name.padEnd(width));
const say = (line) => process.stdout.write(`${'stack'.padEnd(width)} | ${line}\n`);
say(`built ${apps.map((a) => a.name).join(', ')}${cluster ? ' (cluster mode)' : ''}`);

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function httpOk(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

const running = new Map(); // unit name → child
let stopping = false;
let rolling = false;

function start(unit) {
  const i = units.indexOf(unit);
  const child = spawn(unit.command, unit.args, { cwd: root, env: { ...process.env, ...unit.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.set(unit.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${tag(unit.name, i)} | ${line}\n`));
  }
  child.on('error', (error) => {
    say(`${unit.name} could not start: ${error.message}`);
    void stop(1);
  });
  child.on('exit', (code, signal) => {
    if (running.get(unit.name) === child) running.delete(unit.name);
    if (!stopping && !child.expectedExit) {
      say(`${unit.name} exited unexpectedly (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  return child;
}

async function waitReady(unit, timeoutMs = readyTimeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    if (await unit.ready()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopChild(child, timeoutMs = 20_000) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.expectedExit = true;
    child.kill('SIGTERM');
  });
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  // Reverse start order: the front (nginx, gateway) first, Redis and the IdP last.
  for (const unit of [...units].reverse()) {
    const child = running.get(unit.name);
    if (child) await stopChild(child);
  }
  if (nginxDir) fs.rmSync(nginxDir, { recursive: true, force: true });
  say('stopped');
  process.exit(code);
}

/** Zero-downtime rollout: one instance at a time, the other keeps serving behind nginx. */
async function rollout() {
  if (!cluster || rolling || stopping) return;
  rolling = true;
  say('rollout: restarting gateway and BFF instances one at a time');
  for (const unit of units.filter((u) => u.balanced)) {
    const child = running.get(unit.name);
    if (child) await stopChild(child);
    if (stopping) break;
    start(unit);
    if (!(await waitReady(unit))) {
      say(`rollout: ${unit.name} not ready after restart`);
      await stop(1);
      return;
    }
    say(`rollout: ${unit.name} restarted`);
  }
  rolling = false;
  say('rollout complete');
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGUSR2', () => void rollout());

// Redis first (apps connect at start-up), then the apps in parallel, then nginx.
const ordered = [...units.filter((u) => u.name === 'redis'), ...units.filter((u) => u.name !== 'redis' && u.name !== 'nginx'), ...units.filter((u) => u.name === 'nginx')];
for (const group of [ordered.filter((u) => u.name === 'redis'), ordered.filter((u) => u.name !== 'redis' && u.name !== 'nginx'), ordered.filter((u) => u.name === 'nginx')]) {
  group.forEach(start);
  const ready = await Promise.all(group.map((u) => waitReady(u)));
  if (stopping) process.exit(1);
  const notReady = group.filter((_, i) => !ready[i]).map((u) => u.name);
  if (notReady.length > 0) {
    say(`not ready in time: ${notReady.join(', ')}`);
    await stop(1);
  }
}
say('ready:');
for (const app of apps) say(`  ${app.name.padEnd(width)}  http://localhost:${ports[app.name]}${cluster && balancedApps.includes(app.name) ? `  (nginx → :${instancePorts(ports[app.name]).join(', :')})` : ''}`);
if (cluster) say(`  redis: ${clusterEnv.REDIS_URL}; SIGUSR2 (kill -USR2 ${process.pid}) rolls the instances`);
say('Ctrl-C stops everything.');
