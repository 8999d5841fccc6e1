import { randomUUID } from 'node:crypto';
import { call, expectProblem, startDemoStack, type DemoStack } from './support';

interface Order {
  id: string;
  tenant: string;
  userId: string;
  status: string;
  createdAt: string;
  items: { productId: string; quantity: number; unitPrice: { amount: number; currency: string } }[];
  total: { amount: number; currency: string };
  [field: string]: unknown;
}
interface OrderPage {
  items: Order[];
  nextCursor?: string;
}

describe('demo-orders', () => {
  let stack: DemoStack;
  let url: string;
  const as = (sub: string, claims: Record<string, unknown> = {}) => stack.token('demo-orders', { sub, ...claims });
  const list = async (sub: string, query = '', claims: Record<string, unknown> = {}) =>
    (await call(`${url}/orders${query}`, { token: await as(sub, claims) })).json<OrderPage>();
  const post = async (body: unknown, options: { key?: string; sub?: string; claims?: Record<string, unknown> } = {}) =>
    call(`${url}/orders`, {
      method: 'POST',
      token: await as(options.sub ?? 'bob', options.claims),
      body,
      headers: options.key === undefined ? {} : { 'idempotency-key': options.key },
    });

  beforeAll(async () => {
    stack = await startDemoStack(['demo-orders']);
    url = stack.url('demo-orders');
  });
  afterAll(() => stack.close());

  it("lists only the caller's orders, newest first, without internal fields", async () => {
    const alice = await list('alice', '?limit=100');
    expect(alice.items.length).toBeGreaterThanOrEqual(6);
    expect(alice.items.every((o) => o.userId === 'alice' && o.tenant === 'acme')).toBe(true);
    const order = alice.items.map((o) => `${o.createdAt}|${o.id}`);
    expect([...order].sort().reverse()).toEqual(order);
    expect(JSON.stringify(alice)).not.toMatch(/fulfilmentNode|fraudScore/);
    expect((await list('carol', '?limit=100')).items.every((o) => o.userId === 'carol' && o.tenant === 'globex')).toBe(true);
  });

  it('lets a partner client see its whole tenant, and nothing of another', async () => {
    const partner = await list('partner-acme', '?limit=100', { client_id: 'partner-acme' });
    const users = new Set(partner.items.map((o) => o.userId));
    expect(users.has('alice') && users.has('bob')).toBe(true);
    expect(partner.items.every((o) => o.tenant === 'acme')).toBe(true);
  });

  it('pages with cursors (stable, no overlap) and filters by status and dates', async () => {
    const all = (await list('alice', '?limit=100')).items.map((o) => o.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list('alice', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);

    const paid = await list('alice', '?status=paid&limit=100');
    expect(paid.items.every((o) => o.status === 'paid')).toBe(true);
    const all100 = (await list('alice', '?limit=100')).items;
    const pivot = all100[Math.floor(all100.length / 2)]?.createdAt as string;
    const after = (await list('alice', `?createdAfter=${encodeURIComponent(pivot)}&limit=100`)).items;
    const before = (await list('alice', `?createdBefore=${encodeURIComponent(pivot)}&limit=100`)).items;
    expect(after.every((o) => o.createdAt >= pivot) && before.every((o) => o.createdAt < pivot)).toBe(true);
    expect(after.length + before.length).toBe(all100.length);

    // A cursor only works for the query and caller it was made for.
    const first = await list('alice', '?limit=2');
    const reused = await call(`${url}/orders?limit=2&status=paid&cursor=${first.nextCursor}`, { token: await as('alice') });
    expectProblem(reused, 400, 'validation-failed');
    const bad = expectProblem(await call(`${url}/orders?status=lost&createdAfter=yesterday`, { token: await as('alice') }), 400, 'validation-failed');
    expect((bad['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['createdAfter', 'status']);
  });

  it("hides another user's and another tenant's orders behind 404", async () => {
    const bobsOrder = (await list('bob')).items[0] as Order;
    const own = await call(`${url}/orders/${bobsOrder.id}`, { token: await as('bob') });
    expect(own.status).toBe(200);
    expect(own.json<Order>().id).toBe(bobsOrder.id);
    expect(own.headers['etag']).toBeDefined();
    expect((await call(`${url}/orders/${bobsOrder.id}`, { token: await as('bob'), headers: { 'if-none-match': own.headers['etag'] as string } })).status).toBe(304);

    expectProblem(await call(`${url}/orders/${bobsOrder.id}`, { token: await as('alice') }), 404, 'not-found');
    expectProblem(await call(`${url}/orders/${bobsOrder.id}`, { token: await as('carol') }), 404, 'not-found');
    // bob's own subject, but presented with another tenant: still not his order there.
    expectProblem(await call(`${url}/orders/${bobsOrder.id}`, { token: await as('bob', { tenant: 'globex' }) }), 404, 'not-found');
    expectProblem(await call(`${url}/orders/${bobsOrder.id}`, { token: await as('partner-globex', { client_id: 'partner-globex' }) }), 404, 'not-found');
    expectProblem(await call(`${url}/orders/ord_missing`, { token: await as('bob') }), 404, 'not-found');
  });

  it('requires the orders audience, a live token and the right scope', async () => {
    const wrongAudience = await call(`${url}/orders`, { token: await stack.token('demo-orders', { aud: 'catalog-api' }) });
    expectProblem(wrongAudience, 401, 'invalid-token');
    expect(wrongAudience.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expectProblem(await call(`${url}/orders`, { token: await stack.token('demo-orders', { aud: 'edge-api' }) }), 401, 'invalid-token');
    expectProblem(await call(`${url}/orders`, { token: await as('alice', { exp: Math.floor(Date.now() / 1000) - 120 }) }), 401, 'invalid-token');
    expectProblem(await call(`${url}/orders`), 401, 'invalid-token');
    const readOnly = await post({ items: [{ productId: 'prod_001', quantity: 1 }] }, { key: randomUUID(), claims: { scope: 'orders:read' } });
    expectProblem(readOnly, 403, 'insufficient-scope');
    expect(readOnly.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:write"');
    expectProblem(await call(`${url}/orders`, { token: await as('alice', { scope: 'orders:write' }) }), 403, 'insufficient-scope');
    expectProblem(await call(`${url}/orders`, { token: await as('alice', { tenant: undefined }) }), 403, 'forbidden');
  });

  describe('POST /orders', () => {
    const body = { items: [{ productId: 'prod_001', quantity: 2 }, { productId: 'prod_acme_101', quantity: 1 }] };

    it('creates an order priced from the catalog, with Location', async () => {
      const res = await post(body, { key: randomUUID() });
      expect(res.status).toBe(201);
      const order = res.json<Order>();
      expect(res.headers['location']).toBe(`/orders/${order.id}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(order).toMatchObject({ tenant: 'acme', userId: 'bob', status: 'pending' });
      expect(order.total.amount).toBe(order.items.reduce((s, i) => s + i.unitPrice.amount * i.quantity, 0));
      expect(res.text).not.toMatch(/fulfilmentNode|fraudScore/);
      expect((await call(`${url}/orders/${order.id}`, { token: await as('bob') })).status).toBe(200);
    });

    it('needs an Idempotency-Key (428) of bounded length and charset (400)', async () => {
      expectProblem(await post(body), 428, 'precondition-required');
      expectProblem(await post(body, { key: 'x'.repeat(300) }), 400, 'invalid-header');
      expectProblem(await post(body, { key: 'bad key' }), 400, 'invalid-header');
    });

    it('replays the same key and body with the same status and Idempotent-Replayed', async () => {
      const key = randomUUID();
      const first = await post(body, { key });
      const again = await post({ items: [{ quantity: 2, productId: 'prod_001' }, { quantity: 1, productId: 'prod_acme_101' }] }, { key });
      expect(again.status).toBe(first.status);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['location']).toBe(first.headers['location']);
      expect(again.json()).toEqual(first.json());
    });

    it('refuses the same key with a different body (422), and scopes keys per caller', async () => {
      const key = randomUUID();
      expect((await post(body, { key })).status).toBe(201);
      expectProblem(await post({ items: [{ productId: 'prod_002', quantity: 1 }] }, { key }), 422, 'idempotency-key-reused');
      const alice = await post(body, { key, sub: 'alice' });
      expect(alice.status).toBe(201);
      expect(alice.headers['idempotent-replayed']).toBeUndefined();
    });

    it('creates exactly one order for concurrent duplicates', async () => {
      const key = randomUUID();
      const before = (await list('bob', '?limit=100')).items.length;
      const replies = await Promise.all(Array.from({ length: 5 }, () => post(body, { key })));
      expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(replies.map((r) => r.json<Order>().id)).size).toBe(1);
      expect(replies.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
      expect((await list('bob', '?limit=100')).items.length).toBe(before + 1);
    });

    it('lists every invalid field, unknown fields included', async () => {
      const res = await post(
        { items: [{ productId: 'prod_001', quantity: 0 }, { productId: 'prod_002', quantity: 101, price: 1 }], coupon: 'FREE' },
        { key: randomUUID() },
      );
      const problem = expectProblem(res, 400, 'validation-failed');
      expect((problem['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['coupon', 'items[0].quantity', 'items[1].price', 'items[1].quantity']);

      const unknown = expectProblem(
        await post({ items: [{ productId: 'prod_999', quantity: 1 }, { productId: 'prod_001', quantity: 1 }, { productId: 'prod_globex_101', quantity: 1 }] }, { key: randomUUID() }),
        400,
        'validation-failed',
      );
      expect(unknown['errors']).toEqual([
        { field: 'items[0].productId', detail: 'is not a known product' },
        { field: 'items[2].productId', detail: 'is not a known product' },
      ]);
      const empty = expectProblem(await post({ items: [] }, { key: randomUUID() }), 400, 'validation-failed');
      expect((empty['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['items']);
      const tooMany = await post({ items: Array.from({ length: 51 }, () => ({ productId: 'prod_001', quantity: 1 })) }, { key: randomUUID() });
      expectProblem(tooMany, 400, 'validation-failed');
    });

    it('answers malformed JSON with a problem 400', async () => {
      const res = await call(`${url}/orders`, { method: 'POST', token: await as('bob'), body: '{"items": [', headers: { 'idempotency-key': randomUUID() } });
      expectProblem(res, 400, 'malformed-json');
      expect(res.text).not.toContain('position');
    });
  });

  it('publishes its OpenAPI 3.1 document', async () => {
    const doc = (await call(`${url}/openapi.json`)).json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/orders', '/orders/{id}']);
    expect(Object.keys(doc.paths['/orders'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
