import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/** The workspace root: the nearest directory above this file that holds nx.json. */
export function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'nx.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface BenchApp {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/** Builds the apps (SWC, < 1 s each) so the benchmark measures current code. */
export function buildApps(root: string, names: readonly string[]): void {
  for (const name of names) {
    const result = spawnSync(process.execPath, [path.join(root, 'tools/build/build-app.mjs'), name], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`build of ${name} failed:\n${result.stderr}${result.stdout}`);
  }
}

/** Starts dist/apps/<name>/main.js on `port` and waits for /readyz. */
export async function startApp(root: string, name: string, port: number, env: Record<string, string>): Promise<BenchApp> {
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env: { PATH: process.env['PATH'], NODE_ENV: 'test', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_DELAY_MS: '0', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const app: BenchApp = {
    name,
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready:\n${stderr}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return app;
    await new Promise((r) => setTimeout(r, 100));
  }
  await app.stop();
  throw new Error(`${name} was not ready within 30 s:\n${stderr}`);
}

/** An access token from dev-idp through the workspace's token tool (PKCE login as a user of `client`). */
export function devIdpToken(root: string, issuer: string, user: string, client: string, resource?: string): string {
  const args = ['--user', user, '--client', client, '--issuer', issuer, ...(resource ? ['--resource', resource] : [])];
  const result = spawnSync(process.execPath, [path.join(root, 'tools/token/token.ts'), ...args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`token for ${user}: ${result.stderr}`);
  return result.stdout.trim();
}
