import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { freePort, workspaceRoot } from '@edge/testing';

const apps = ['dev-idp', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations', 'bff-web', 'bff-mobile', 'bff-partner', 'gateway'];
const portVar = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;

/** The README's first command: `npm start` starts everything, every /readyz answers, Ctrl-C stops it all. */
describe('npm start', () => {
  it('is the dev-stack launcher', () => {
    const pkg = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe('node tools/dev-stack/start.mjs');
  });

  it('starts the whole stack, reports its URLs, and stops cleanly on SIGTERM', async () => {
    const ports: Record<string, number> = {};
    for (const app of apps) ports[app] = await freePort();
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development' };
    for (const app of apps) env[portVar(app)] = String(ports[app]);
    // What `npm start` runs (npm itself re-raises the signal instead of passing the exit code on).
    const child = spawn(process.execPath, ['tools/dev-stack/start.mjs'], { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output).toContain('Ctrl-C stops everything');
    const started = apps.filter((a) => output.includes(`http://localhost:${ports[a]}`));
    expect(started).toEqual(expect.arrayContaining(['dev-idp', 'demo-catalog', 'gateway']));
    for (const app of started) {
      const res = await request(`http://127.0.0.1:${ports[app]}/readyz`);
      expect({ app, status: res.statusCode }).toEqual({ app, status: 200 });
      await res.body.dump();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const app of started) {
      const alive = await request(`http://127.0.0.1:${ports[app]}/healthz`).then(
        () => true,
        () => false,
      );
      expect({ app, alive }).toEqual({ app, alive: false });
    }
  });
});
