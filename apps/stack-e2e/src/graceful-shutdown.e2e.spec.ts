import { connect } from 'node:net';
import { request } from 'undici';
import { startEchoUpstream, spawnApp, type EchoUpstream } from '@edge/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * DESIGN.md §4 "Health and shutdown", on a real process (the gateway; every app shares the
 * same @edge/server drain): SIGTERM → /readyz turns 503 while the app still serves → the
 * listener closes (new connections refused) → in-flight requests complete → exit 0.
 */
describe('SIGTERM drain', () => {
  let slow: EchoUpstream;
  beforeAll(async () => {
    slow = await startEchoUpstream();
    slow.handle((_q, res) => setTimeout(() => res.end('finished'), 2500));
  });
  afterAll(() => slow.close());

  it('flips readiness first, refuses new connections, finishes in-flight work and exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drain-'));
    const config = path.join(dir, 'gateway.yaml');
    writeFileSync(
      config,
      `version: 1\nserver: { http: { host: 127.0.0.1, port: 0 } }\nclusters:\n  slow: { kind: service, destinations: { p: { url: "${slow.url}" } } }\npolicies: { auth: { public: { anonymous: true } } }\nroutes:\n  - { id: slow, match: { path: /slow/** }, cluster: slow, auth: public }\n`,
    );
    const app = await spawnApp('gateway', { args: ['--config', config], env: { SHUTDOWN_DRAIN_DELAY_MS: '1000', SHUTDOWN_GRACE_MS: '10000' } });
    const inFlight = request(`${app.url}/slow/work`).then(async (r) => ({ status: r.statusCode, body: await r.body.text() }));
    await sleep(200);
    app.process.kill('SIGTERM');
    await sleep(200);
    const ready = await request(`${app.url}/readyz`);
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    await ready.body.dump();
    await sleep(1200);
    expect(await canConnect(app.port)).toBe(false);
    expect(await inFlight).toEqual({ status: 200, body: 'finished' });
    expect(await app.exited).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});
