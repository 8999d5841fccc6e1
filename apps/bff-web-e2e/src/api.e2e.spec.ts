import { randomUUID } from 'node:crypto';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { expectCleanLogs, setFaults, startWebStack, untilWhole, type WebStack } from './support/web-stack';
import { WebClient } from '@edge/testing';

interface Home {
  profile: { name: string; tenant: string };
  recentOrders: { id: string }[];
  recommendations: { productId: string; name: string | null; price: unknown }[] | null;
  warnings?: { code: string; part: string; served: string; reason: string }[];
}

describe('bff-web API for the SPA (composed, with per-service tokens)', () => {
  let stack: WebStack;
  let alice: WebClient;

  beforeAll(async () => {
    stack = await startWebStack();
    alice = new WebClient(stack.bffs[0]!.origin);
    await alice.login('alice');
    await untilWhole(() => alice.api('/web/api/home'));
  });
  afterEach(async () => {
    await Promise.all(Object.values(stack.services).map((s) => setFaults(s, null)));
    // A fault test may have opened a dependency's circuit breaker: the next test starts healthy.
    await untilWhole(() => alice.api('/web/api/home'));
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), alice.secrets);
  });

  it('GET /web/api/home: profile, five recent orders, named recommendations — whole, private, not partial', async () => {
    const res = await alice.api('/web/api/home');
    expect(res.status).toBe(200);
    expect(res.headers.get('partial-response')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const home = res.json<Home>();
    expect(home.profile).toMatchObject({ name: expect.stringContaining('Alice'), tenant: 'acme' });
    expect(home.recentOrders).toHaveLength(5);
    expect(home.recommendations!.length).toBeGreaterThan(0);
    for (const r of home.recommendations!) expect(r).toMatchObject({ name: expect.any(String), price: { currency: 'EUR' } });
    expect(home.warnings).toBeUndefined();
    // Internal fields of the services never reach the browser.
    expect(res.text).not.toMatch(/riskScore|fraudScore|fulfilmentNode|costPrice|supplierCode|userId/);
  });

  it('serves home partial when recommendations fail, and within budget when they hang', async () => {
    await setFaults(stack.services.recommendations, { errorRate: 1, status: 500 });
    const failing = await alice.api('/web/api/home');
    expect(failing.status).toBe(200);
    expect(failing.headers.get('partial-response')).toBe('true');
    expect(failing.headers.get('cache-control')).toBe('no-store');
    const home = failing.json<Home>();
    expect(home.recommendations).toBeNull();
    expect(home.recentOrders).toHaveLength(5);
    expect(home.warnings).toEqual([{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'error' }]);

    await setFaults(stack.services.recommendations, { mode: 'hang' });
    const started = Date.now();
    const hanging = await alice.api('/web/api/home');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hanging.status).toBe(200);
    expect(hanging.json<Home>().warnings).toEqual([expect.objectContaining({ part: 'recommendations', reason: 'timeout' })]);
  });

  it('serves recommendations without names when the catalog fails', async () => {
    await setFaults(stack.services.catalog, { errorRate: 1, status: 503 });
    const res = await alice.api('/web/api/home');
    expect(res.status).toBe(200);
    const home = res.json<Home>();
    expect(home.warnings).toEqual([expect.objectContaining({ code: 'products-unavailable' })]);
    expect(home.recommendations!.every((r) => r.name === null && r.price === null)).toBe(true);
  });

  it('fails home with a problem when a required part fails', async () => {
    await setFaults(stack.services.orders, { errorRate: 1, status: 500 });
    const res = await alice.api('/web/api/home');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ type: 'urn:edge:problem:bad-gateway', status: 502 });
  });

  it('GET /web/api/orders/:id: own order with product names; another user\'s order is the service\'s 404', async () => {
    const own = await alice.api('/web/api/orders/ord_0001');
    expect(own.status).toBe(200);
    const order = own.json<{ id: string; lines: { name: unknown }[]; total: { currency: string } }>();
    expect(order).toMatchObject({ id: 'ord_0001', total: { currency: 'EUR' } });
    expect(order.lines.length).toBeGreaterThan(0);
    for (const line of order.lines) expect(line.name).toEqual(expect.any(String));
    const bobs = await alice.api('/web/api/orders/ord_0008');
    expect(bobs.status).toBe(404);
    expect(bobs.json()).toMatchObject({ type: 'urn:edge:problem:not-found' });
    expect((await alice.api('/web/api/orders/..%2f..%2fcustomers%2fme')).status).toBe(404);
  });

  it('GET /web/api/checkout-summary prices the basket and names the delivery address', async () => {
    const res = await alice.api('/web/api/checkout-summary?item=prod_001:2&item=prod_003:1');
    expect(res.status).toBe(200);
    const summary = res.json<{ lines: { lineTotal: { amount: number }; unitPrice: { amount: number }; quantity: number }[]; total: { amount: number }; deliveryAddress: { city: string } }>();
    expect(summary.lines).toHaveLength(2);
    for (const l of summary.lines) expect(l.lineTotal.amount).toBe(l.unitPrice.amount * l.quantity);
    expect(summary.total.amount).toBe(summary.lines.reduce((s, l) => s + l.lineTotal.amount, 0));
    expect(summary.deliveryAddress.city).toEqual(expect.any(String));
    expect((await alice.api('/web/api/checkout-summary')).json()).toMatchObject({ type: 'urn:edge:problem:validation-failed', errors: [{ field: 'item' }] });
    expect((await alice.api('/web/api/checkout-summary?item=prod_001:0')).status).toBe(400);
    // Another tenant's product is not in alice's catalog.
    expect((await alice.api('/web/api/checkout-summary?item=prod_globex_101:1')).status).toBe(400);
  });

  it('POST /web/api/checkout places the order once per Idempotency-Key (the orders service owns the rule)', async () => {
    const key = randomUUID();
    const body = { items: [{ productId: 'prod_002', quantity: 2 }] };
    const placed = await alice.api('/web/api/checkout', { method: 'POST', body, headers: { 'idempotency-key': key } });
    expect(placed.status).toBe(201);
    const order = placed.json<{ id: string; lines: { productId: string; name: string }[] }>();
    expect(placed.headers.get('location')).toBe(`/web/api/orders/${order.id}`);
    expect(order.lines).toEqual([expect.objectContaining({ productId: 'prod_002', quantity: 2, name: expect.any(String) })]);

    const replay = await alice.api('/web/api/checkout', { method: 'POST', body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.json<{ id: string }>().id).toBe(order.id);

    const reused = await alice.api('/web/api/checkout', { method: 'POST', body: { items: [{ productId: 'prod_003', quantity: 1 }] }, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ type: 'urn:edge:problem:idempotency-key-reused' });

    const keyless = await alice.api('/web/api/checkout', { method: 'POST', body });
    expect(keyless.status).toBe(428);
    expect(keyless.json()).toMatchObject({ type: 'urn:edge:problem:precondition-required' });

    const invalid = await alice.api('/web/api/checkout', { method: 'POST', body: { items: [{ productId: 'prod_002', quantity: 0 }] }, headers: { 'idempotency-key': randomUUID() } });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({ type: 'urn:edge:problem:validation-failed', errors: [expect.objectContaining({ field: expect.stringContaining('quantity') })] });

    expect((await alice.api(`/web/api/orders/${order.id}`)).json()).toMatchObject({ id: order.id, status: 'pending' });
    expect((await alice.api('/web/api/home')).json<Home>().recentOrders[0]!.id).toBe(order.id);
  });
});

describe('bff-web downstream calls', () => {
  let stack: WebStack;
  let catalog: EchoUpstream;
  let browser: WebClient;

  beforeAll(async () => {
    catalog = await startEchoUpstream();
    stack = await startWebStack({ serviceUrls: { catalog: catalog.url } });
    browser = new WebClient(stack.bffs[0]!.origin);
    await browser.login('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    await catalog?.close();
  });

  it("carry a token exchanged for the service's own audience — never the browser's cookie or headers", async () => {
    const res = await browser.api('/web/api/orders/ord_0001', { headers: { 'x-trace-me': 'browser-header' } });
    expect(res.status).toBe(200); // demo-orders accepted its orders-api token
    const seen = catalog.requests.filter((r) => r.url.startsWith('/products/'));
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.headers['cookie']).toBeUndefined();
      expect(request.headers['x-csrf']).toBeUndefined();
      expect(request.headers['x-trace-me']).toBeUndefined();
      const token = /^Bearer (.+)$/.exec(String(request.headers['authorization']))?.[1];
      expect(token).toBeDefined();
      const claims = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(claims).toMatchObject({ aud: 'catalog-api', sub: 'alice', tenant: 'acme', scope: 'catalog:read', act: { sub: 'bff-web' } });
      expect(browser.cookie('__Host-web-session')).toBeDefined();
      expect(String(request.headers['authorization'])).not.toContain(browser.cookie('__Host-web-session')!);
    }
  });
});
