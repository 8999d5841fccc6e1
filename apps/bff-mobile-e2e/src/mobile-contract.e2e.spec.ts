import { MOBILE_PAYLOAD_BUDGETS, PRODUCT_FIELDS, type MobileRouteKey } from '@edge/contracts-mobile';
import { counterSum, startMobileStack, type CallOptions, type MobileStack, type Reply, stopStragglers } from './mobile-stack';
import { allKeys, publishedShapes, type PublishedShapes } from './published-shape';

/** Fields the domain services hold that no mobile response may carry. */
const INTERNAL_FIELDS = ['costPrice', 'supplierCode', 'fraudScore', 'riskScore', 'fulfilmentNode', 'tenant', 'userId', 'email', 'address', 'score', 'stock', 'visibility', 'marketingOptIn'];

interface Case {
  route: MobileRouteKey;
  /** The template as the document names it. */
  documented: string;
  status: number;
  request: () => [string, CallOptions];
}

/**
 * The published contract against what the endpoints really send: every response validates
 * against /mobile/openapi.json with no unpublished property, carries no internal field, and
 * stays within its payload budget (bytes before compression, downstream calls counted by the
 * domain services themselves) — each case at its largest (widest page, every field).
 */
describe('bff-mobile contract: published shapes and payload budgets', () => {
  let stack: MobileStack;
  let alice: string;
  let shapes: PublishedShapes;
  let orderId: string;

  const all = PRODUCT_FIELDS.join(',');
  /** The most lines an order may have (50), each at the largest quantity. */
  const largestOrder = { items: Array.from({ length: 50 }, (_, i) => ({ productId: `prod_${String(i + 1).padStart(3, '0')}`, quantity: 100 })) };
  const cases: Case[] = [
    { route: 'GET /mobile/v1/home', documented: '/mobile/v1/home', status: 200, request: () => ['/mobile/v1/home', { token: alice }] },
    { route: 'GET /mobile/v1/orders', documented: '/mobile/v1/orders', status: 200, request: () => ['/mobile/v1/orders?limit=50', { token: alice }] },
    { route: 'GET /mobile/v1/orders/:id', documented: '/mobile/v1/orders/{id}', status: 200, request: () => [`/mobile/v1/orders/${orderId}`, { token: alice }] },
    {
      route: 'POST /mobile/v1/orders',
      documented: '/mobile/v1/orders',
      status: 201,
      request: () => ['/mobile/v1/orders', { method: 'POST', token: alice, headers: { 'idempotency-key': `contract-${Date.now()}` }, body: largestOrder }],
    },
    { route: 'GET /mobile/v1/products', documented: '/mobile/v1/products', status: 200, request: () => [`/mobile/v1/products?limit=50&fields=${all}`, { token: alice }] },
    { route: 'GET /mobile/v1/products/:id', documented: '/mobile/v1/products/{id}', status: 200, request: () => [`/mobile/v1/products/prod_acme_101?fields=${all}`, { token: alice }] },
  ];

  beforeAll(async () => {
    stack = await startMobileStack();
    alice = await stack.login('alice');
    shapes = publishedShapes((await stack.mobile('/mobile/openapi.json', { noAppHeaders: true })).json());
    const created = await stack.mobile('/mobile/v1/orders', { method: 'POST', token: alice, headers: { 'idempotency-key': `contract-setup-${Date.now()}` }, body: largestOrder });
    orderId = created.json<{ id: string }>().id;
    // Token exchanges happen on first use: warm them so the budget counts only service calls.
    await stack.mobile('/mobile/v1/home', { token: alice });
    await stack.mobile('/mobile/v1/products?limit=1', { token: alice });
  }, 180_000);
  const sizes: Record<string, { bytes: number; calls: number }> = {};
  afterAll(async () => {
    if (process.env['REPORT_PAYLOADS']) console.log(JSON.stringify(sizes, null, 2));
    await stack?.close();
    await stopStragglers();
  });

  function expectPublished(testCase: Case, reply: Reply): void {
    expect(reply.status).toBe(testCase.status);
    const validate = shapes.response(testCase.route.split(' ')[0] as string, testCase.documented, testCase.status);
    const body = reply.json();
    const valid = validate(body);
    if (!valid) throw new Error(`${testCase.route} sent what its published shape does not allow: ${JSON.stringify(validate.errors)}`);
    // The check has teeth: one unpublished member anywhere fails it.
    expect(validate({ ...body, costPrice: { amount: 1, currency: 'EUR' } })).toBe(false);
    const leaked = INTERNAL_FIELDS.filter((field) => allKeys(body).has(field));
    expect(leaked).toEqual([]);
  }

  it('documents exactly the endpoints that have a payload budget', async () => {
    expect(cases.map((c) => c.route).sort()).toEqual(Object.keys(MOBILE_PAYLOAD_BUDGETS).sort());
    const doc = (await stack.mobile('/mobile/openapi.json', { noAppHeaders: true })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect(documented.sort()).toEqual(Object.keys(MOBILE_PAYLOAD_BUDGETS).sort());
  });

  it.each(cases.map((c) => [c.route, c] as const))('%s sends its published shape, within its payload budget', async (_route, testCase) => {
    const before = await stack.downstreamRequests();
    const [path, options] = testCase.request();
    const reply = await stack.mobile(path, options);
    const calls = (await stack.downstreamRequests()) - before;
    expectPublished(testCase, reply);
    const budget = MOBILE_PAYLOAD_BUDGETS[testCase.route];
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.bytes.length).toBeLessThanOrEqual(budget.maxResponseBytes);
    sizes[testCase.route] = { bytes: reply.bytes.length, calls };
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThanOrEqual(budget.maxDownstreamCalls);
  });

  it('publishes the partial home too (warnings), and problems stay problems', async () => {
    await stack.fault('demo-recommendations', { errorRate: 1, status: 500 });
    try {
      const partial = await stack.mobile('/mobile/v1/home', { token: alice });
      expect(partial.headers['partial-response']).toBe('true');
      expectPublished(cases[0] as Case, partial);
    } finally {
      await stack.clearFaults();
    }
  });

  it('never went over a budget while serving all of the above (the app measures every response)', async () => {
    expect(counterSum(await stack.metrics(stack.bff), 'bff_mobile_payload_budget_exceeded_total')).toBe(0);
    expect(counterSum(await stack.metrics(stack.bff), 'bff_mobile_response_bytes_count')).toBeGreaterThanOrEqual(cases.length);
  });
});
