import { clientCredentials, exchangeToken, freePort, loginWithPkce, spawnApp, type SpawnedApp } from '@edge/testing';
import { call, expectProblem } from './support';

interface Order {
  id: string;
  tenant: string;
  userId: string;
}

/**
 * Real tokens from the real dev-idp: the services find the JWKS through the issuer's
 * discovery document (no OIDC_JWKS_URI), accept only their own audience, and authorize
 * users and partner clients as DESIGN.md §3 describes.
 */
describe('demo services with dev-idp tokens', () => {
  let idp: SpawnedApp;
  let orders: SpawnedApp;
  let catalog: SpawnedApp;
  let issuer: string;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    idp = await spawnApp('dev-idp', { port, env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } });
    [orders, catalog] = await Promise.all(['demo-orders', 'demo-catalog'].map((name) => spawnApp(name, { env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } })));
  });
  afterAll(async () => {
    await Promise.all([orders?.stop(), catalog?.stop()]);
    await idp?.stop();
  });

  it('lets a partner client (client credentials for urn:orders-api) read its whole tenant', async () => {
    const partner = await clientCredentials({ issuer, clientId: 'partner-acme', clientSecret: 'partner-acme-secret', scope: 'orders:read', resource: 'urn:orders-api' });
    const res = await call(`${orders.url}/orders?limit=100`, { token: partner.access_token });
    expect(res.status).toBe(200);
    const items = res.json<{ items: Order[] }>().items;
    expect(new Set(items.map((o) => o.userId))).toEqual(new Set(['alice', 'bob']));
    expect(items.every((o) => o.tenant === 'acme')).toBe(true);
  });

  it("serves alice her own orders with a BFF-exchanged token, and refuses her edge-api token", async () => {
    const alice = await loginWithPkce({
      issuer,
      clientId: 'mobile-app',
      redirectUri: 'http://127.0.0.1/callback',
      user: 'alice',
      password: 'password',
      scope: 'openid catalog:read orders:read orders:write',
    });
    expectProblem(await call(`${orders.url}/orders`, { token: alice.access_token }), 401, 'invalid-token');

    const exchanged = await exchangeToken({ issuer, clientId: 'bff-web', clientSecret: 'bff-web-secret', subjectToken: alice.access_token, resource: 'urn:orders-api' });
    const res = await call(`${orders.url}/orders?limit=100`, { token: exchanged.access_token });
    expect(res.status).toBe(200);
    const items = res.json<{ items: Order[] }>().items;
    expect(items.length).toBeGreaterThanOrEqual(6);
    expect(items.every((o) => o.userId === 'alice')).toBe(true);

    const catalogToken = await exchangeToken({ issuer, clientId: 'bff-web', clientSecret: 'bff-web-secret', subjectToken: alice.access_token, resource: 'urn:catalog-api' });
    const products = await call(`${catalog.url}/products?limit=100`, { token: catalogToken.access_token });
    expect(products.status).toBe(200);
    expect(products.json<{ items: { id: string }[] }>().items.some((p) => p.id.startsWith('prod_acme_'))).toBe(true);
    expectProblem(await call(`${catalog.url}/products`, { token: exchanged.access_token }), 401, 'invalid-token');
  });
});
