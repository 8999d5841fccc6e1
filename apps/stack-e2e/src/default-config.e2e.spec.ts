import path from 'node:path';
import { request } from 'undici';
import { freePort, loginWithPkce, spawnApp, workspaceRoot, type SpawnedApp } from '@edge/testing';

/**
 * Issue 4's "the default configuration shows it all", through the real gateway with
 * apps/gateway/config/gateway.yaml, the real dev-idp and the demo services.
 */
describe('the default gateway configuration on the real stack', () => {
  let idp: SpawnedApp;
  let services: Record<string, SpawnedApp>;
  let gw: SpawnedApp;
  let issuer: string;
  const token = (resource: string, scope: string) =>
    loginWithPkce({ issuer, clientId: 'mobile-app', redirectUri: 'http://127.0.0.1/callback', user: 'alice', password: 'password', scope, resource }).then((t) => t.access_token);

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    idp = await spawnApp('dev-idp', { port, env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } });
    const names = ['demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations'];
    const started = await Promise.all(names.map((n) => spawnApp(n, { env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn', FAULTS_ENABLED: 'true' } })));
    services = Object.fromEntries(names.map((n, i) => [n, started[i] as SpawnedApp]));
    gw = await spawnApp('gateway', {
      args: ['--config', path.join(workspaceRoot, 'apps/gateway/config/gateway.yaml')],
      env: {
        LOG_LEVEL: 'warn',
        OIDC_ISSUER: issuer,
        CATALOG_URL: services['demo-catalog']!.url,
        ORDERS_URL: services['demo-orders']!.url,
        CUSTOMERS_URL: services['demo-customers']!.url,
        RECOMMENDATIONS_URL: services['demo-recommendations']!.url,
        GATEWAY_CLIENT_SECRET: 'gateway-secret',
      },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(Object.values(services ?? {}).map((s) => s.stop()));
    await idp?.stop();
  });

  it('serves anonymous catalog reads rewritten to the service, cached and rate-limited per IP', async () => {
    const first = await request(`${gw.url}/api/catalog/products?limit=2`);
    expect(first.statusCode).toBe(200);
    expect(((await first.body.json()) as { items: unknown[] }).items).toHaveLength(2);
    expect(first.headers['ratelimit-policy']).toContain('"per-ip"');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    const second = await request(`${gw.url}/api/catalog/products?limit=2`);
    expect(second.headers['cache-status']).toMatch(/hit/);
    await second.body.dump();
  });

  it('answers CORS preflights for the separately hosted frontend', async () => {
    const res = await request(`${gw.url}/api/catalog/products`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    await res.body.dump();
  });

  it('takes service-audience tokens on /api routes and refuses others', async () => {
    const ordersToken = await token('urn:orders-api', 'openid orders:read');
    const res = await request(`${gw.url}/api/orders?limit=3`, { headers: { authorization: `Bearer ${ordersToken}` } });
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { items: { userId: string; fraudScore?: unknown }[] };
    expect(body.items.every((o) => o.userId === 'alice')).toBe(true);
    const edge = await token('urn:edge-api', 'openid orders:read');
    const refused = await request(`${gw.url}/api/orders`, { headers: { authorization: `Bearer ${edge}` } });
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
    const profileToken = await token('urn:customers-api', 'openid profile:read');
    const me = await request(`${gw.url}/api/users/me`, { headers: { authorization: `Bearer ${profileToken}` } });
    expect(me.statusCode).toBe(200);
    expect(((await me.body.json()) as { id: string }).id).toBe('alice');
  });

  it('composes /api/dashboard with exchanged tokens, and answers partially when recommendations fail', async () => {
    const edge = await token('urn:edge-api', 'openid profile:read orders:read recommendations:read');
    const res = await request(`${gw.url}/api/dashboard`, { headers: { authorization: `Bearer ${edge}` } });
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['orders', 'profile', 'recommendations']);
    await request(`${services['demo-recommendations']!.url}/__faults`, { method: 'PUT', body: JSON.stringify({ mode: 'hang' }), headers: { 'content-type': 'application/json' } });
    const partial = await request(`${gw.url}/api/dashboard`, { headers: { authorization: `Bearer ${edge}` } });
    expect(partial.statusCode).toBe(200);
    expect(partial.headers['partial-response']).toBe('true');
    expect(((await partial.body.json()) as { warnings: { code: string }[] }).warnings[0]?.code).toBe('recommendations-unavailable');
    await request(`${services['demo-recommendations']!.url}/__faults`, { method: 'DELETE' });
  });

  it('publishes the services behind their external paths at /openapi.json', async () => {
    const res = await request(`${gw.url}/openapi.json`);
    expect(res.statusCode).toBe(200);
    const doc = (await res.body.json()) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/catalog/products', '/api/orders', '/api/dashboard']));
    expect(paths.some((p) => p.startsWith('/customers') || p.startsWith('/orders'))).toBe(false);
  });
});
