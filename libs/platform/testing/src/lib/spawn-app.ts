import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { ownsListeningPort } from './port-owner';

export const workspaceRoot = path.resolve(__dirname, '../../../../..');

/** Builds apps into dist/ (SWC, well under a second each) so e2e tests run current code. */
export function buildApps(names: string[]): void {
  for (const name of names) {
    const result = spawnSync(process.execPath, [path.join(workspaceRoot, 'tools/build/build-app.mjs'), name], {
      cwd: workspaceRoot,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`build of ${name} failed:\n${result.stderr}${result.stdout}`);
  }
}

export interface SpawnedApp {
  name: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Everything the app wrote to stdout and stderr so far. */
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  port?: number;
  /** Path polled until it answers 200 (default /readyz). */
  readyPath?: string;
  readyTimeoutMs?: number;
  /** Extra CLI arguments. */
  args?: string[];
}

/** The port was taken by another process before the app could bind it. */
class PortTakenError extends Error {}

/**
 * Starts dist/apps/<name>/main.js as a real process on a free port and waits until it is
 * ready. A port found free can be taken by another suite's process before the app binds it:
 * the app then dies with EADDRINUSE, and until it does, the other process may answer /readyz.
 * So ready means "the app itself listens on the port and answers", and a port chosen here is
 * chosen again (up to three times) when it was taken.
 */
export async function spawnApp(name: string, options: SpawnOptions = {}): Promise<SpawnedApp> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(name, options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

async function spawnOnce(name: string, options: SpawnOptions): Promise<SpawnedApp> {
  const main = path.join(workspaceRoot, 'dist/apps', name, 'main.js');
  if (!existsSync(main)) buildApps([name]);
  const port = options.port ?? (await freePort());
  let output = '';
  const child = spawn(process.execPath, [main, ...(options.args ?? [])], {
    cwd: workspaceRoot,
    env: {
      PATH: process.env['PATH'],
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const app: SpawnedApp = {
    name,
    port,
    url,
    process: child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  const readyPath = options.readyPath ?? '/readyz';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  while (Date.now() < deadline) {
    if (exitedEarly) {
      if (/EADDRINUSE/.test(output)) throw new PortTakenError(`${name}: port ${port} was taken`);
      throw new Error(`${name} exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(url + readyPath, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      // Another process on the port answers too; only the app's own answer counts.
      if (res.status === 200 && ownsListeningPort(child.pid as number, port) !== false) return app;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within the timeout:\n${output}`);
}
