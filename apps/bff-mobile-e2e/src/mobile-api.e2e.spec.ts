import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { loginWithPkce } from '@edge/testing';
import { counterSum, expectProblem, startMobileStack, USER_SCOPES, type MobileStack, stopStragglers } from './mobile-stack';

interface OrderSummary {
  id: string;
  status: string;
  createdAt: string;
  itemCount: number;
  total: { amount: number; currency: string };
}

describe('bff-mobile API (dev-idp, demo services, bff-mobile as processes)', () => {
  let stack: MobileStack;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    stack = await startMobileStack({ MOBILE_MIN_VERSION_IOS: '3.0', MOBILE_MIN_VERSION_ANDROID: '2.5.1', MOBILE_UPGRADE_URL_IOS: 'https://apps.example/ios' });
    [alice, bob] = await Promise.all([stack.login('alice'), stack.login('bob')]);
    // A user's first request pays for the token exchanges (and a cold process for its JIT);
    // the assertions below are about steady behaviour. The exchange test uses a fresh user.
    await Promise.all([stack.mobile('/mobile/v1/home', { token: alice }), stack.mobile('/mobile/v1/home', { token: bob })]);
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await stopStragglers();
  });

  describe('home', () => {
    it('answers profile, five recent orders and recommendations in one compact response', async () => {
      const res = await stack.mobile('/mobile/v1/home', { token: alice });
      expect(res.status).toBe(200);
      expect(res.headers['partial-response']).toBeUndefined();
      const body = res.json<{ profile: { name: string; tier: string }; recentOrders: OrderSummary[]; recommendations: { productId: string; reason: string }[] }>();
      expect(Object.keys(body).sort()).toEqual(['profile', 'recentOrders', 'recommendations']);
      expect(Object.keys(body.profile).sort()).toEqual(['name', 'tier']);
      expect(body.recentOrders).toHaveLength(5);
      const times = body.recentOrders.map((o) => Date.parse(o.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(body.recommendations.length).toBeGreaterThan(0);
      expect(body.recommendations.length).toBeLessThanOrEqual(5);
    });

    it('serves each user their own data', async () => {
      const [a, b] = await Promise.all([stack.mobile('/mobile/v1/orders?limit=50', { token: alice }), stack.mobile('/mobile/v1/orders?limit=50', { token: bob })]);
      const aliceIds = new Set(a.json<{ items: OrderSummary[] }>().items.map((o) => o.id));
      const bobIds = b.json<{ items: OrderSummary[] }>().items.map((o) => o.id);
      expect(aliceIds.size).toBe(7);
      expect(bobIds).toHaveLength(3);
      expect(bobIds.some((id) => aliceIds.has(id))).toBe(false);
    });

    it('refuses requests without a valid token, and edge-api tokens of other clients', async () => {
      expectProblem(await stack.mobile('/mobile/v1/home'), 401, 'invalid-token');
      expectProblem(await stack.mobile('/mobile/v1/home', { token: 'x.y.z' }), 401, 'invalid-token');
      const web = await loginWithPkce({ issuer: stack.issuer, clientId: 'bff-web', clientSecret: 'bff-web-secret', redirectUri: 'http://localhost:3001/web/callback', user: 'alice', password: 'password', scope: USER_SCOPES });
      expectProblem(await stack.mobile('/mobile/v1/home', { token: web.access_token }), 403, 'forbidden');
    });
  });

  describe('orders', () => {
    it('pages with an opaque cursor and a bounded limit', async () => {
      const first = await stack.mobile('/mobile/v1/orders?limit=3', { token: alice });
      expect(first.status).toBe(200);
      const page1 = first.json<{ items: OrderSummary[]; nextCursor?: string }>();
      expect(page1.items).toHaveLength(3);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const second = await stack.mobile(`/mobile/v1/orders?limit=3&cursor=${page1.nextCursor}`, { token: alice });
      const page2 = second.json<{ items: OrderSummary[]; nextCursor?: string }>();
      expect(page2.items.map((o) => o.id).some((id) => page1.items.some((o) => o.id === id))).toBe(false);
      const third = (await stack.mobile(`/mobile/v1/orders?limit=3&cursor=${page2.nextCursor}`, { token: alice })).json<{ items: OrderSummary[]; nextCursor?: string }>();
      expect(third.items).toHaveLength(1);
      expect(third.nextCursor).toBeUndefined();

      for (const limit of ['0', '51', 'abc', '-1', '2.5']) {
        const body = expectProblem(await stack.mobile(`/mobile/v1/orders?limit=${limit}`, { token: alice }), 400, 'validation-failed');
        expect(body['errors']).toEqual([{ field: 'limit', detail: 'must be an integer from 1 to 50' }]);
      }
      expectProblem(await stack.mobile('/mobile/v1/orders?cursor=not%20a%20cursor', { token: alice }), 400, 'validation-failed');
      // Well-formed but not one the orders service handed out: the field is named, as above.
      const stale = expectProblem(await stack.mobile('/mobile/v1/orders?cursor=eyJhIjoxfQ', { token: alice }), 400, 'validation-failed');
      expect(stale['errors']).toEqual([{ field: 'cursor', detail: 'must be a cursor from a previous page of the same query' }]);
      const staleProducts = expectProblem(await stack.mobile('/mobile/v1/products?cursor=eyJhIjoxfQ', { token: alice }), 400, 'validation-failed');
      expect(staleProducts['errors']).toEqual([{ field: 'cursor', detail: 'must be a cursor from a previous page of the same query' }]);
    });

    it("answers one order in full, and someone else's order with the orders service's 404", async () => {
      const list = (await stack.mobile('/mobile/v1/orders?limit=1', { token: alice })).json<{ items: OrderSummary[] }>();
      const id = list.items[0]?.id as string;
      const res = await stack.mobile(`/mobile/v1/orders/${id}`, { token: alice });
      expect(res.status).toBe(200);
      const order = res.json<{ id: string; items: { productId: string; quantity: number; unitPrice: { amount: number } }[]; total: { amount: number } }>();
      expect(order.id).toBe(id);
      expect(order.total.amount).toBe(order.items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amount, 0));
      expect(Object.keys(order).sort()).toEqual(['createdAt', 'id', 'items', 'status', 'total']);

      const theirs = expectProblem(await stack.mobile(`/mobile/v1/orders/${id}`, { token: bob }), 404, 'not-found');
      expect(JSON.stringify(theirs)).not.toContain('alice');
      expectProblem(await stack.mobile('/mobile/v1/orders/ord_9999', { token: bob }), 404, 'not-found');
      expectProblem(await stack.mobile('/mobile/v1/orders/..%2F..%2Fadmin', { token: bob }), 400, 'validation-failed');
    });

    it('creates an order once per Idempotency-Key (the orders service owns the rule)', async () => {
      const order = { items: [{ productId: 'prod_001', quantity: 2 }] };
      const key = `mobile-${Date.now()}`;
      const first = await stack.mobile('/mobile/v1/orders', { method: 'POST', token: bob, body: order, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(201);
      const created = first.json<{ id: string; status: string; items: unknown[] }>();
      expect(first.headers['location']).toBe(`/mobile/v1/orders/${created.id}`);
      expect(created.items).toEqual([{ productId: 'prod_001', quantity: 2, unitPrice: expect.objectContaining({ currency: 'EUR' }) }]);

      const replay = await stack.mobile('/mobile/v1/orders', { method: 'POST', token: bob, body: order, headers: { 'idempotency-key': key } });
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json<{ id: string }>().id).toBe(created.id);

      expectProblem(await stack.mobile('/mobile/v1/orders', { method: 'POST', token: bob, body: { items: [{ productId: 'prod_002', quantity: 1 }] }, headers: { 'idempotency-key': key } }), 422, 'idempotency-key-reused');
      expectProblem(await stack.mobile('/mobile/v1/orders', { method: 'POST', token: bob, body: order }), 428, 'precondition-required');
      const invalid = expectProblem(await stack.mobile('/mobile/v1/orders', { method: 'POST', token: bob, body: { items: [{ productId: 'prod_001', quantity: 0, price: 1 }], note: 'x' }, headers: { 'idempotency-key': `${key}-2` } }), 400, 'validation-failed');
      expect(invalid['errors']).toEqual([
        { field: 'note', detail: 'is not a known field' },
        { field: 'items[0].price', detail: 'is not a known field' },
        { field: 'items[0].quantity', detail: 'must be an integer from 1 to 100' },
      ]);
      const bobs = (await stack.mobile('/mobile/v1/orders?limit=50', { token: bob })).json<{ items: OrderSummary[] }>();
      expect(bobs.items.filter((o) => o.id === created.id)).toHaveLength(1);
    });
  });

  describe('products', () => {
    it('answers compact products by default and exactly the fields asked for from the allow-list', async () => {
      const compact = (await stack.mobile('/mobile/v1/products?limit=2', { token: alice })).json<{ items: Record<string, unknown>[] }>();
      expect(compact.items).toHaveLength(2);
      for (const item of compact.items) expect(Object.keys(item).sort()).toEqual(['id', 'inStock', 'name', 'price']);

      const chosen = (await stack.mobile('/mobile/v1/products?limit=2&fields=name,category', { token: alice })).json<{ items: Record<string, unknown>[] }>();
      for (const item of chosen.items) expect(Object.keys(item).sort()).toEqual(['category', 'id', 'name']);

      const one = await stack.mobile('/mobile/v1/products/prod_acme_101?fields=sku,description', { token: alice });
      expect(one.status).toBe(200);
      expect(Object.keys(one.json()).sort()).toEqual(['description', 'id', 'sku']);

      for (const fields of ['costPrice', 'name,supplierCode', '', 'stock']) {
        const body = expectProblem(await stack.mobile(`/mobile/v1/products?fields=${fields}`, { token: alice }), 400, 'validation-failed');
        expect((body['errors'] as { field: string }[])[0]?.field).toBe('fields');
      }
    });

    it('lets the app browse public products before sign-in; tenant products need a token of that tenant', async () => {
      const anonymous = await stack.mobile('/mobile/v1/products?limit=50');
      expect(anonymous.status).toBe(200);
      expect(anonymous.json<{ items: { id: string }[] }>().items.every((p) => !p.id.includes('acme'))).toBe(true);
      expectProblem(await stack.mobile('/mobile/v1/products/prod_acme_101'), 404, 'not-found');
      expect((await stack.mobile('/mobile/v1/products/prod_acme_101', { token: bob })).status).toBe(200);
    });
  });

  describe('HTTP caching and compression', () => {
    it('sends strong ETags and answers If-None-Match with 304 and no body', async () => {
      const first = await stack.mobile('/mobile/v1/home', { token: alice });
      const etag = first.headers['etag'] as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      expect(first.headers['vary']).toContain('Authorization');
      const again = await stack.mobile('/mobile/v1/home', { token: alice, headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.bytes).toHaveLength(0);
      expect(again.headers['etag']).toBe(etag);

      const product = await stack.mobile('/mobile/v1/products/prod_001', { token: alice });
      const other = await stack.mobile('/mobile/v1/products/prod_001', { token: alice, headers: { 'if-none-match': `"nope", ${product.headers['etag'] as string}` } });
      expect(other.status).toBe(304);
      const changed = await stack.mobile('/mobile/v1/products/prod_001?fields=name', { token: alice, headers: { 'if-none-match': product.headers['etag'] as string } });
      expect(changed.status).toBe(200);
    });

    it('compresses bodies over 1 KiB when the app accepts it, and leaves small ones alone', async () => {
      const plain = await stack.mobile('/mobile/v1/products?limit=30&fields=name,description', { token: alice });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.bytes.length).toBeGreaterThan(1024);

      const br = await stack.mobile('/mobile/v1/products?limit=30&fields=name,description', { token: alice, headers: { 'accept-encoding': 'gzip, br' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['vary']).toContain('Accept-Encoding');
      expect(br.bytes.length).toBeLessThan(plain.bytes.length / 2);
      expect(JSON.parse(brotliDecompressSync(br.bytes).toString('utf8'))).toEqual(plain.json());
      expect(br.headers['etag']).toBe((plain.headers['etag'] as string).replace(/"$/, '-br"'));

      const gz = await stack.mobile('/mobile/v1/products?limit=30&fields=name,description', { token: alice, headers: { 'accept-encoding': 'br;q=0, gzip' } });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(JSON.parse(gunzipSync(gz.bytes).toString('utf8'))).toEqual(plain.json());
      const revalidated = await stack.mobile('/mobile/v1/products?limit=30&fields=name,description', { token: alice, headers: { 'accept-encoding': 'gzip', 'if-none-match': gz.headers['etag'] as string } });
      expect(revalidated.status).toBe(304);

      const small = await stack.mobile('/mobile/v1/products/prod_001', { token: alice, headers: { 'accept-encoding': 'gzip, br' } });
      expect(small.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('app-version gate', () => {
    it('answers apps below the platform minimum with 426 and an upgrade hint, before anything else', async () => {
      const ios = expectProblem(await stack.mobile('/mobile/v1/home', { noAppHeaders: true, headers: { 'x-app-version': '2.9.9', 'x-app-platform': 'ios' } }), 426, 'upgrade-required');
      expect(ios).toMatchObject({ platform: 'ios', minimumVersion: '3.0.0', upgradeUrl: 'https://apps.example/ios' });
      const android = expectProblem(await stack.mobile('/mobile/v1/orders', { token: alice, noAppHeaders: true, headers: { 'x-app-version': '2.5.0', 'x-app-platform': 'android' } }), 426, 'upgrade-required');
      expect(android).toMatchObject({ platform: 'android', minimumVersion: '2.5.1' });
      expect(android['upgradeUrl']).toBeUndefined();

      expect((await stack.mobile('/mobile/v1/orders?limit=1', { token: alice, noAppHeaders: true, headers: { 'x-app-version': '2.5.1', 'x-app-platform': 'android' } })).status).toBe(200);
      expect((await stack.mobile('/mobile/v1/orders?limit=1', { token: alice, noAppHeaders: true, headers: { 'x-app-version': '3.0', 'x-app-platform': 'IOS' } })).status).toBe(200);
      expectProblem(await stack.mobile('/mobile/v1/home', { token: alice, noAppHeaders: true, headers: { 'x-app-version': 'latest', 'x-app-platform': 'ios' } }), 400, 'invalid-header');
      expectProblem(await stack.mobile('/mobile/v1/home', { token: alice, noAppHeaders: true, headers: { 'x-app-version': '4.0.0', 'x-app-platform': 'windows' } }), 400, 'invalid-header');
      // Not part of the mobile API: no gate.
      expect((await stack.mobile('/healthz', { noAppHeaders: true, headers: { 'x-app-version': '0.1', 'x-app-platform': 'ios' } })).status).toBe(200);
    });

    it('counts requests per app version with bounded labels', async () => {
      for (let minor = 0; minor < 40; minor++) {
        await stack.mobile('/mobile/v1/products?limit=1', { noAppHeaders: true, headers: { 'x-app-version': `9.${minor}.0`, 'x-app-platform': 'android' } });
      }
      const metrics = await stack.metrics(stack.bff);
      const labels = new Set(metrics.split('\n').filter((l) => l.startsWith('bff_mobile_requests_total{')).map((l) => /app_version="([^"]+)"/.exec(l)?.[1]));
      expect(labels.size).toBeLessThanOrEqual(32 + 3); // the cap, plus "other", "none", "invalid"
      expect(labels.has('other')).toBe(true);
      expect(counterSum(metrics, 'bff_mobile_requests_total', ['platform="ios"', 'app_version="2.9"', 'outcome="upgrade-required"'])).toBe(1);
      expect(counterSum(metrics, 'bff_mobile_requests_total', ['platform="android"'])).toBeGreaterThanOrEqual(40);
    });
  });

  it('obtains downstream tokens by exchange at dev-idp (client bff-mobile), once per user and audience', async () => {
    const carol = await stack.login('carol');
    const exchanges = async () => counterSum(await stack.metrics(stack.idp), 'dev_idp_token_requests_total', ['grant_type="urn:ietf:params:oauth:grant-type:token-exchange"', 'client_id="bff-mobile"']);
    const before = await exchanges();
    const lists = await Promise.all(Array.from({ length: 8 }, () => stack.mobile('/mobile/v1/orders?limit=1', { token: carol })));
    expect(lists.map((r) => r.status)).toEqual(Array(8).fill(200));
    // Eight concurrent requests, one exchange (orders-api).
    expect((await exchanges()) - before).toBe(1);
    const homes = await Promise.all(Array.from({ length: 8 }, () => stack.mobile('/mobile/v1/home', { token: carol })));
    expect(homes.map((h) => h.status)).toEqual(Array(8).fill(200));
    // customers-api and recommendations-api added; orders-api reused.
    expect((await exchanges()) - before).toBe(3);
    await stack.mobile('/mobile/v1/home', { token: carol });
    expect((await exchanges()) - before).toBe(3);
  });

  it('publishes its OpenAPI document at /mobile/openapi.json', async () => {
    const res = await stack.mobile('/mobile/openapi.json', { noAppHeaders: true });
    expect(res.status).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/mobile/v1/home', '/mobile/v1/orders', '/mobile/v1/orders/{id}', '/mobile/v1/products', '/mobile/v1/products/{id}']);
  });
});
