import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { clientCredentials, exchangeToken, freePort, loginWithPkce, workspaceRoot } from '@edge/testing';
import { mobileApp, startIdp, USER_SCOPE, type RunningIdp } from './support';

const main = path.join(workspaceRoot, 'dist/apps/dev-idp/main.js');

describe('dev-idp: refuses production', () => {
  it('exits non-zero with a clear message when NODE_ENV=production', async () => {
    const port = await freePort();
    const result = spawnSync(process.execPath, [main], { env: { PATH: process.env['PATH'], NODE_ENV: 'production', PORT: String(port) }, encoding: 'utf8', timeout: 15_000 });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toMatch(/refuses to start with NODE_ENV=production/);
    // It never listened.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('reports invalid settings all at once and exits', () => {
    const result = spawnSync(process.execPath, [main], {
      env: { PATH: process.env['PATH'], NODE_ENV: 'test', PORT: 'x', ACCESS_TOKEN_TTL_SECONDS: '-5' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/ACCESS_TOKEN_TTL_SECONDS/);
  });
});

describe('dev-idp: health, errors, logs and shutdown', () => {
  let idp: RunningIdp;
  beforeAll(async () => {
    idp = await startIdp({ SHUTDOWN_DRAIN_DELAY_MS: '300' });
  });
  afterAll(async () => {
    await idp.app.stop('SIGKILL');
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    const health = await fetch(`${idp.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${idp.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const metrics = await fetch(`${idp.app.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('# TYPE dev_idp_token_requests_total counter');
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/healthz"/);
  });

  it('answers unknown routes with problem+json 404 and the request id', async () => {
    const res = await fetch(`${idp.issuer}/nope/../admin?x=1`, { headers: { 'x-request-id': 'req-dev-idp-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('x-request-id')).toBe('req-dev-idp-1');
    expect(await res.json()).toMatchObject({ type: 'urn:edge:problem:not-found', status: 404, title: 'Not found', requestId: 'req-dev-idp-1' });
    const interaction = await fetch(`${idp.issuer}/interaction/unknown-uid`);
    expect(interaction.status).toBe(400);
    expect(interaction.headers.get('content-type')).toContain('application/problem+json');
    const body = (await interaction.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 400, type: 'urn:edge:problem:bad-request' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });

  it('keeps OAuth errors in RFC 6749 JSON at OAuth endpoints', async () => {
    const res = await fetch(`${idp.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('never logs tokens, codes, passwords or client secrets', async () => {
    const user = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
    const partner = await clientCredentials({ issuer: idp.issuer, clientId: 'partner-acme', clientSecret: 'partner-acme-secret', scope: 'catalog:read' });
    const exchanged = await exchangeToken({ issuer: idp.issuer, clientId: 'bff-web', clientSecret: 'bff-web-secret', subjectToken: user.access_token, resource: 'urn:orders-api' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const output = idp.app.output();
    expect(output).toMatch(/"route":"oidc:token"/);
    for (const secret of [user.access_token, user.refresh_token, user.id_token, partner.access_token, exchanged.access_token, 'partner-acme-secret', 'bff-web-secret', 'password=']) {
      expect(output).not.toContain(secret as string);
    }
    expect(output).not.toMatch(/[?&](code|state|id_token_hint)=/);
  });

  it('drains on SIGTERM: readiness goes false, then it exits 0', async () => {
    idp.app.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await fetch(`${idp.app.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'urn:edge:problem:draining' });
    expect(await idp.app.exited).toBe(0);
  });
});
