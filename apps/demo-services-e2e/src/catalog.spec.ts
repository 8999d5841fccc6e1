import { call, expectProblem, startDemoStack, type DemoStack } from './support';

interface Product {
  id: string;
  category: string;
  visibility: string;
  [field: string]: unknown;
}
interface ProductPage {
  items: Product[];
  nextCursor?: string;
}

describe('demo-catalog', () => {
  let stack: DemoStack;
  let url: string;
  beforeAll(async () => {
    stack = await startDemoStack(['demo-catalog']);
    url = stack.url('demo-catalog');
  });
  afterAll(() => stack.close());

  it('serves public products anonymously, cacheable by anyone, without internal fields', async () => {
    const res = await call(`${url}/products?limit=100`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const page = res.json<ProductPage>();
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toBeUndefined();
    expect(page.items.every((p) => p.visibility === 'public')).toBe(true);
    expect(res.text).not.toMatch(/costPrice|supplierCode/);
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(['category', 'description', 'id', 'name', 'price', 'sku', 'stock', 'visibility']);
  });

  it('pages with opaque cursors, filters by category and q, and bounds limit', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await call(`${url}/products?category=books&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<ProductPage>();
      expect(page.items.every((p) => p.category === 'books')).toBe(true);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);

    const q = (await call(`${url}/products?q=KETTLE`)).json<ProductPage>();
    expect(q.items.length).toBeGreaterThan(0);
    expect(q.items.every((p) => String(p['name']).toLowerCase().includes('kettle') || String(p['description']).toLowerCase().includes('kettle'))).toBe(true);

    const bad = expectProblem(await call(`${url}/products?limit=101&category=cars&cursor=garbage`), 400, 'validation-failed');
    expect((bad['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['category', 'limit']);
    const badCursor = expectProblem(await call(`${url}/products?cursor=garbage`), 400, 'validation-failed');
    expect(badCursor['errors']).toEqual([{ field: 'cursor', detail: 'is not a valid cursor for this query' }]);
  });

  it('answers If-None-Match with 304 and the same ETag', async () => {
    const first = await call(`${url}/products/prod_007`);
    const etag = first.headers['etag'] as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const second = await call(`${url}/products/prod_007`, { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(304);
    expect(second.text).toBe('');
    expect(second.headers['etag']).toBe(etag);
    expect((await call(`${url}/products/prod_008`, { headers: { 'if-none-match': etag } })).status).toBe(200);
  });

  it('shows tenant-only products to their tenant only, marked private', async () => {
    const acme = await stack.token('demo-catalog', { sub: 'alice' });
    const globex = await stack.token('demo-catalog', { sub: 'carol' });
    const list = await call(`${url}/products?limit=100`, { token: acme });
    expect(list.headers['cache-control']).toBe('private, max-age=60');
    const ids = list.json<ProductPage>().items.map((p) => p.id);
    expect(ids.filter((id) => id.startsWith('prod_acme_'))).toHaveLength(3);
    expect(ids.some((id) => id.startsWith('prod_globex_'))).toBe(false);

    const own = await call(`${url}/products/prod_acme_101`, { token: acme });
    expect(own.status).toBe(200);
    expect(own.headers['cache-control']).toBe('private, max-age=60');
    expectProblem(await call(`${url}/products/prod_acme_101`, { token: globex }), 404, 'not-found');
    expectProblem(await call(`${url}/products/prod_acme_101`), 404, 'not-found');
    expectProblem(await call(`${url}/products/nope`), 404, 'not-found');
  });

  it('rejects a presented token that is invalid instead of serving anonymously', async () => {
    for (const token of [
      await stack.token('demo-catalog', { aud: 'orders-api' }),
      await stack.token('demo-catalog', { exp: Math.floor(Date.now() / 1000) - 120 }),
      'not.a.token',
    ]) {
      const res = await call(`${url}/products`, { token });
      expectProblem(res, 401, 'invalid-token');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    }
    const noScope = await call(`${url}/products`, { token: await stack.token('demo-catalog', { scope: 'orders:read' }) });
    expectProblem(noScope, 403, 'insufficient-scope');
    expect(noScope.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="catalog:read"');
  });

  it('answers unknown routes (any method) with a problem 404', async () => {
    expectProblem(await call(`${url}/nowhere`), 404, 'not-found');
    expectProblem(await call(`${url}/products`, { method: 'DELETE' }), 404, 'not-found');
  });

  it('publishes its OpenAPI 3.1 document', async () => {
    const doc = (await call(`${url}/openapi.json`)).json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(['/products', '/products/{id}']);
  });
});
