import { loginWithPkce } from '@edge/testing';
import { call, expectProblem, sleep, startPartnerStack, type CallOptions, type PartnerStack } from './support';

interface Page {
  items: { id: string; placedBy: string }[];
}

/** Who may call the partner API, with what, and for which tenant. */
describe('bff-partner: OAuth client credentials and API keys', () => {
  let stack: PartnerStack;
  let acmeToken: string;

  beforeAll(async () => {
    stack = await startPartnerStack();
    acmeToken = await stack.partnerToken('partner-acme');
  });
  afterAll(async () => {
    await stack?.close();
  });
  // A partner may hold two active keys: every test retires the keys it made.
  afterEach(() => stack.revokeCreatedKeys());

  it("serves a partner client's token (client credentials, edge-api) with its tenant's orders and products", async () => {
    const orders = await call(`${stack.base}/v2/orders?limit=100`, { token: acmeToken });
    expect(orders.status).toBe(200);
    const ids = orders.json<Page>().items.map((o) => o.id);
    // The seed: alice 7 and bob 3 orders in acme (ord_0001..0010), carol's in globex.
    expect(ids).toEqual(expect.arrayContaining(['ord_0001', 'ord_0007', 'ord_0010']));
    expect(ids).not.toContain('ord_0011');
    const products = await call(`${stack.base}/v2/products?limit=100`, { token: acmeToken });
    expect(products.status).toBe(200);
    const productIds = products.json<Page>().items.map((p) => p.id);
    expect(productIds).toContain('prod_acme_101');
    expect(productIds.some((id) => id.startsWith('prod_globex_'))).toBe(false);
  });

  it('serves an API key bound to a tenant the same way, with a partner token obtained by delegation', async () => {
    const { key } = stack.createKey({ tenant: 'globex', scopes: 'orders:read,catalog:read' });
    const orders = await call(`${stack.base}/v2/orders?limit=100`, { apiKey: key });
    expect(orders.status).toBe(200);
    expect(orders.json<Page>().items.map((o) => o.id).sort()).toEqual(['ord_0011', 'ord_0012', 'ord_0013']);
    const product = await call(`${stack.base}/v2/products/prod_globex_101`, { apiKey: key });
    expect(product.status).toBe(200);
    expectProblem(await call(`${stack.base}/v2/products/prod_acme_101`, { apiKey: key }), 404, 'not-found');
  });

  it('refuses malformed, unknown, revoked and expired keys with 401, and says which', async () => {
    const malformed = expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: 'let-me-in' }), 401, 'unauthorized');
    expect(malformed['detail']).toBe('The API key is malformed.');
    const unknown = expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: `pk_${'a'.repeat(16)}_${'B'.repeat(43)}` }), 401, 'unauthorized');
    expect(unknown['detail']).toBe('The API key is not valid.');

    const revoked = stack.createKey({ tenant: 'acme', scopes: 'orders:read', partner: 'partner-acme' });
    expect((await call(`${stack.base}/v2/orders`, { apiKey: revoked.key })).status).toBe(200);
    stack.revokeKey(revoked.id);
    const afterRevoke = await call(`${stack.base}/v2/orders`, { apiKey: revoked.key });
    expect(expectProblem(afterRevoke, 401, 'unauthorized')['detail']).toBe('The API key has been revoked.');
    expect(afterRevoke.headers['www-authenticate']).toContain('ApiKey');

    const expiring = stack.createKey({ tenant: 'acme', scopes: 'orders:read', expires: '2s' });
    expect((await call(`${stack.base}/v2/orders`, { apiKey: expiring.key })).status).toBe(200);
    await sleep(2100);
    expect(expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: expiring.key }), 401, 'unauthorized')['detail']).toBe('The API key has expired.');
    // A key differing only in its secret is not the key.
    expect(expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: `${expiring.key.slice(0, -1)}${expiring.key.endsWith('A') ? 'B' : 'A'}` }), 401)['detail']).toBe('The API key is not valid.');
  });

  it('keeps two keys of a partner valid during rotation, refuses a third, and retires the old one by revoking it', async () => {
    const old = stack.createKey({ tenant: 'globex', scopes: 'orders:read' });
    const fresh = stack.createKey({ tenant: 'globex', scopes: 'orders:read' });
    for (const key of [old.key, fresh.key]) expect((await call(`${stack.base}/v2/orders`, { apiKey: key })).status).toBe(200);
    const third = stack.keysCli(['create', '--tenant', 'globex', '--partner', 'partner-globex', '--scopes', 'orders:read']);
    expect(third.status).toBe(1);
    expect(third.stderr).toContain('already has 2 active keys');
    stack.revokeKey(old.id);
    expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: old.key }), 401);
    expect((await call(`${stack.base}/v2/orders`, { apiKey: fresh.key })).status).toBe(200);
  });

  it('answers missing, doubled and invalid credentials with 401 problems and a challenge', async () => {
    const none = await call(`${stack.base}/v2/orders`);
    expectProblem(none, 401, 'unauthorized');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="partner"');
    const { key } = stack.createKey({ tenant: 'acme', scopes: 'orders:read' });
    expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: key, token: acmeToken }), 401, 'unauthorized');
    const bad = await call(`${stack.base}/v2/orders`, { token: `${acmeToken.slice(0, -4)}AAAA` });
    expectProblem(bad, 401, 'invalid-token');
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('leaves the operational endpoints and the OpenAPI document anonymous', async () => {
    const metrics = await call(`${stack.bffs[0]?.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('partner_auth_total');
    for (const path of ['/healthz', '/readyz', '/partner/openapi.json']) expect((await call(`${stack.bffs[0]?.url}${path}`)).status).toBe(200);
  });

  it("refuses a user's token (this API is for partner clients) and credentials lacking the route's scope", async () => {
    const alice = await loginWithPkce({
      issuer: stack.issuer,
      clientId: 'mobile-app',
      redirectUri: 'http://127.0.0.1/callback',
      user: 'alice',
      password: 'password',
      scope: 'openid orders:read',
    });
    expectProblem(await call(`${stack.base}/v2/orders`, { token: alice.access_token }), 403, 'forbidden');
    const catalogOnly = await stack.partnerToken('partner-acme', 'catalog:read');
    expectProblem(await call(`${stack.base}/v2/orders`, { token: catalogOnly }), 403, 'insufficient-scope');
    const readOnlyKey = stack.createKey({ tenant: 'acme', scopes: 'catalog:read' });
    expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: readOnlyKey.key }), 403, 'insufficient-scope');
    expectProblem(await call(`${stack.base}/v2/orders`, { apiKey: readOnlyKey.key, idempotencyKey: 'x', body: { items: [{ productId: 'prod_001', quantity: 1 }] } }), 403, 'insufficient-scope');
    expect((await call(`${stack.base}/v2/products`, { apiKey: readOnlyKey.key })).status).toBe(200);
  });

  it('never logs API keys or tokens, even for refused requests', async () => {
    const { key } = stack.createKey({ tenant: 'acme', scopes: 'orders:read' });
    await call(`${stack.base}/v2/orders`, { apiKey: key });
    await call(`${stack.base}/v2/orders`, { apiKey: `${key.slice(0, -1)}x` });
    await call(`${stack.base}/v2/orders`, { apiKey: key, token: acmeToken });
    await call(`${stack.base}/v2/products?limit=0`, { token: acmeToken });
    await sleep(200);
    const output = stack.bffs[0]?.output() ?? '';
    // Refused requests are logged at warn level (this stack's LOG_LEVEL): the log is not empty.
    expect(output).toContain('"statusCode":401');
    for (const secret of [key.slice(20), key.slice(20, -1), acmeToken.split('.')[2] as string]) expect(output).not.toContain(secret);
  });

  describe('cross-tenant attempts get 403 or 404 and nothing else', () => {
    const ALL = 'orders:read,orders:write,catalog:read';

    it('via the path: another tenant’s order, product or operation is 404', async () => {
      const globexKey = stack.createKey({ tenant: 'globex', scopes: ALL }).key;
      const bulk = await call(`${stack.base}/v2/orders/bulk`, { apiKey: globexKey, idempotencyKey: 'globex-bulk', body: { orders: [{ items: [{ productId: 'prod_001', quantity: 1 }] }] } });
      expect(bulk.status).toBe(202);
      const globexOperation = bulk.json<{ id: string }>().id;
      for (const credential of [{ token: acmeToken }, { apiKey: stack.createKey({ tenant: 'acme', scopes: ALL }).key }]) {
        // There is no route naming a tenant at all.
        expectProblem(await call(`${stack.base}/v2/tenants/globex/orders`, credential), 404, 'not-found');
        for (const path of ['/v2/orders/ord_0011', '/v1/orders/ord_0012', '/v2/products/prod_globex_101', `/v2/operations/${globexOperation}`]) {
          const reply = await call(`${stack.base}${path}`, credential);
          const problem = expectProblem(reply, 404, 'not-found');
          // Nothing about the other tenant's resource: the generic 404 only.
          expect(Object.keys(problem).sort()).toEqual(expect.arrayContaining(['instance', 'requestId', 'status', 'title', 'type']));
          expect(JSON.stringify({ ...problem, instance: undefined })).not.toContain('globex');
        }
      }
      // …while globex itself sees them.
      expect((await call(`${stack.base}/v2/orders/ord_0011`, { apiKey: globexKey })).status).toBe(200);
      expect((await call(`${stack.base}/v2/operations/${globexOperation}`, { apiKey: globexKey })).status).toBe(200);
    });

    it('via the query, the body and tenant headers: 403', async () => {
      const attempts: (CallOptions & { url: string })[] = [
        { url: '/v2/orders?tenant=globex' },
        { url: '/v2/orders?tenantId=globex&limit=5' },
        { url: '/v2/products?X-Tenant-Id=globex' },
        { url: '/v2/orders', headers: { 'x-tenant-id': 'globex' } },
        { url: '/v2/orders', headers: { 'x-tenant': 'GLOBEX' } },
        { url: '/v2/products/prod_globex_101', headers: { tenant: 'globex' } },
        { url: '/v2/orders', idempotencyKey: 'cross-1', body: { tenant: 'globex', items: [{ productId: 'prod_globex_101', quantity: 1 }] } },
        { url: '/v2/orders', idempotencyKey: 'cross-2', body: { items: [{ productId: 'prod_001', quantity: 1, tenantId: 'globex' }] } },
        { url: '/v1/orders/bulk', idempotencyKey: 'cross-3', body: { orders: [{ items: [{ productId: 'prod_001', quantity: 1 }], organization: 'globex' }] } },
      ];
      for (const credential of [{ token: acmeToken }, { apiKey: stack.createKey({ tenant: 'acme', scopes: ALL }).key }]) {
        for (const attempt of attempts) {
          const reply = await call(`${stack.base}${attempt.url}`, { ...credential, ...attempt });
          expect({ attempt, status: reply.status }).toEqual({ attempt, status: 403 });
          expectProblem(reply, 403, 'forbidden');
        }
      }
      // Naming one's own tenant in a header is harmless; as a field it is merely unknown (400).
      expect((await call(`${stack.base}/v2/orders`, { token: acmeToken, headers: { 'x-tenant-id': 'acme' } })).status).toBe(200);
      expectProblem(await call(`${stack.base}/v2/orders?tenant=acme`, { token: acmeToken }), 400, 'validation-failed');
      // Nothing was placed by the refused commands (acme places orders nowhere else in this file).
      const orders = await call(`${stack.base}/v2/orders?limit=100`, { token: acmeToken });
      expect(orders.json<Page>().items.filter((o) => o.placedBy === 'partner-acme')).toEqual([]);
    });
  });
});
