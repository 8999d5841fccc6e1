import { call, eventually, expectProblem, sleep, startPartnerStack, type PartnerStack, type Reply } from './support';

interface Money {
  amount: number;
  currency: string;
}
interface OrderV2 {
  id: string;
  placedBy: string;
  items: { productId: string; quantity: number; unitPrice: Money }[];
  total: Money;
}
interface OrderV1 {
  id: string;
  currency: string;
  total: string;
}
interface Operation<O = OrderV2> {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  total: number;
  succeeded: number;
  failed: number;
  results: { index: number; status: string; order?: O; problem?: { type: string; status: number; errors?: { field: string; detail: string }[] } }[];
}

const order = (productId: string, quantity = 1) => ({ items: [{ productId, quantity }] });

async function ordersSince(stack: PartnerStack, token: string, since: string): Promise<OrderV2[]> {
  const reply = await call(`${stack.base}/v2/orders?limit=100&createdAfter=${encodeURIComponent(since)}`, { token });
  expect(reply.status).toBe(200);
  return reply.json<{ items: OrderV2[] }>().items;
}

describe('bff-partner: idempotent commands and bulk operations', () => {
  let stack: PartnerStack;
  let acme: string;
  let acmeKey: string;

  beforeAll(async () => {
    stack = await startPartnerStack();
    acme = await stack.partnerToken('partner-acme');
    acmeKey = stack.createKey({ tenant: 'acme', scopes: 'orders:read,orders:write,catalog:read' }).key;
  });
  afterAll(async () => {
    await stack?.close();
  });

  describe('POST /orders with Idempotency-Key', () => {
    it('places the order once and replays the stored response, in either version, with the same status', async () => {
      const first = await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'replay-1', body: order('prod_002', 2) });
      expect(first.status).toBe(201);
      const placed = first.json<OrderV2>();
      expect(first.headers['location']).toBe(`/partner/v2/orders/${placed.id}`);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(placed).toMatchObject({ placedBy: 'partner-acme', items: [{ productId: 'prod_002', quantity: 2 }] });

      const again = await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'replay-1', body: order('prod_002', 2) });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers['location']).toBe(first.headers['location']);
      expect(again.json()).toEqual(placed);

      // The same partner through its API key, and through v1: the same order, v1's representation.
      const viaV1 = await call(`${stack.base}/v1/orders`, { apiKey: acmeKey, idempotencyKey: '"replay-1"', body: order('prod_002', 2) });
      expect(viaV1.status).toBe(201);
      expect(viaV1.headers['location']).toBe(`/partner/v1/orders/${placed.id}`);
      expect(viaV1.json<OrderV1>()).toMatchObject({ id: placed.id, currency: placed.total.currency });

      expect((await call(`${stack.base}/v2/orders/${placed.id}`, { token: acme })).status).toBe(200);
    });

    it('answers the same key with another body with 422 idempotency-key-reused, and places nothing', async () => {
      const since = new Date().toISOString();
      await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'reuse-1', body: order('prod_003') });
      const reused = await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'reuse-1', body: order('prod_003', 5) });
      expectProblem(reused, 422, 'idempotency-key-reused');
      expectProblem(await call(`${stack.base}/v1/orders`, { apiKey: acmeKey, idempotencyKey: 'reuse-1', body: order('prod_004') }), 422, 'idempotency-key-reused');
      expect((await ordersSince(stack, acme, since)).filter((o) => o.items[0]?.productId !== 'prod_003')).toEqual([]);
    });

    it('requires a well-formed key', async () => {
      expectProblem(await call(`${stack.base}/v2/orders`, { token: acme, body: order('prod_001') }), 428, 'precondition-required');
      expectProblem(await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'has spaces', body: order('prod_001') }), 400, 'invalid-header');
      expectProblem(await call(`${stack.base}/v2/orders/bulk`, { token: acme, body: { orders: [order('prod_001')] } }), 428, 'precondition-required');
    });

    it('creates one order for concurrent duplicates, whichever credential they carry, and answers all alike', async () => {
      const since = new Date(Date.now() - 1).toISOString();
      const send = (i: number) =>
        call(`${stack.base}/v2/orders`, { ...(i % 2 === 0 ? { token: acme } : { apiKey: acmeKey }), idempotencyKey: 'concurrent-1', body: order('prod_005', 3) });
      const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i)));
      expect(replies.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      const ids = new Set(replies.map((r) => r.json<OrderV2>().id));
      expect(ids.size).toBe(1);
      expect(replies.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      const created = (await ordersSince(stack, acme, since)).filter((o) => o.items[0]?.productId === 'prod_005');
      expect(created.map((o) => o.id)).toEqual([...ids]);
    });

    it("keeps partners' keys apart: the same key of another partner is another command", async () => {
      const globex = await stack.partnerToken('partner-globex');
      const a = await call(`${stack.base}/v2/orders`, { token: acme, idempotencyKey: 'shared-key', body: order('prod_006') });
      const b = await call(`${stack.base}/v2/orders`, { token: globex, idempotencyKey: 'shared-key', body: order('prod_006') });
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.json<OrderV2>().id).not.toBe(b.json<OrderV2>().id);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
    });
  });

  describe('POST /orders/bulk → 202 + Location of an operation', () => {
    afterEach(async () => {
      await call(`${stack.orders.url}/__faults`, { method: 'DELETE' });
    });

    const poll = (location: string, credential: { token?: string; apiKey?: string }) =>
      eventually(async () => {
        const reply = await call(`${stack.bffs[0]?.url}${location}`, credential);
        expect(reply.status).toBe(200);
        const operation = reply.json<Operation>();
        return operation.status === 'pending' ? undefined : operation;
      }, 20_000);

    it('goes from pending to a per-item outcome; orders placed stay placed when another fails', async () => {
      await call(`${stack.orders.url}/__faults`, { method: 'PUT', body: { latencyMs: 300 } });
      const accepted = await call(`${stack.base}/v2/orders/bulk`, {
        apiKey: acmeKey,
        idempotencyKey: 'bulk-1',
        body: { orders: [order('prod_010', 2), order('prod_globex_101'), order('prod_acme_102')] },
      });
      expect(accepted.status).toBe(202);
      const location = accepted.headers['location'] as string;
      const snapshot = accepted.json<Operation>();
      expect(location).toBe(`/partner/v2/operations/${snapshot.id}`);
      expect(snapshot).toMatchObject({ status: 'pending', total: 3, succeeded: 0, failed: 0 });
      expect(snapshot.results.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);

      const pending = await call(`${stack.bffs[0]?.url}${location}`, { apiKey: acmeKey });
      expect(pending.json<Operation>().status).toBe('pending');

      const done = await poll(location, { apiKey: acmeKey });
      expect(done).toMatchObject({ id: snapshot.id, status: 'failed', total: 3, succeeded: 2, failed: 1 });
      expect(done.results.map((r) => r.status)).toEqual(['succeeded', 'failed', 'succeeded']);
      expect(done.results[1]?.problem).toMatchObject({ type: 'urn:edge:problem:validation-failed', status: 400, errors: [{ field: 'items[0].productId', detail: 'is not a known product' }] });
      for (const index of [0, 2]) {
        const placed = done.results[index]?.order as OrderV2;
        expect(placed.placedBy).toBe('partner-acme');
        expect((await call(`${stack.base}/v2/orders/${placed.id}`, { token: acme })).status).toBe(200);
      }
      // The same operation through v1 and through the OAuth credential of the same partner.
      const v1 = await call(`${stack.base}/v1/operations/${snapshot.id}`, { token: acme });
      expect(v1.status).toBe(200);
      expect(typeof v1.json<Operation<OrderV1>>().results[0]?.order?.total).toBe('string');
    });

    it('succeeds when every order is placed, and replays the 202 for the same key', async () => {
      const body = { orders: [order('prod_011'), order('prod_012', 4)] };
      const accepted = await call(`${stack.base}/v1/orders/bulk`, { token: acme, idempotencyKey: 'bulk-2', body });
      expect(accepted.status).toBe(202);
      const done = await poll(accepted.headers['location'] as string, { token: acme });
      expect(done).toMatchObject({ status: 'succeeded', succeeded: 2, failed: 0 });

      const replay = await call(`${stack.base}/v1/orders/bulk`, { token: acme, idempotencyKey: 'bulk-2', body });
      expect(replay.status).toBe(202);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json<Operation>().id).toBe(done.id);
      expectProblem(await call(`${stack.base}/v1/orders/bulk`, { token: acme, idempotencyKey: 'bulk-2', body: { orders: [order('prod_011')] } }), 422, 'idempotency-key-reused');
    });

    it('reports each order the service could not place, without pretending the rest failed or succeeded', async () => {
      await call(`${stack.orders.url}/__faults`, { method: 'PUT', body: { errorRate: 1, status: 503 } });
      const accepted = await call(`${stack.base}/v2/orders/bulk`, { token: acme, idempotencyKey: 'bulk-3', body: { orders: [order('prod_013'), order('prod_014')] } });
      expect(accepted.status).toBe(202);
      const done = await poll(accepted.headers['location'] as string, { token: acme });
      expect(done).toMatchObject({ status: 'failed', succeeded: 0, failed: 2 });
      expect(done.results.map((r) => r.problem?.type)).toEqual(['urn:edge:problem:upstream-unavailable', 'urn:edge:problem:upstream-unavailable']);
    });

    it('validates the bulk body against the schema', async () => {
      const empty = expectProblem(await call(`${stack.base}/v2/orders/bulk`, { token: acme, idempotencyKey: 'bulk-4', body: { orders: [] } }), 400, 'validation-failed');
      expect(empty['errors']).toEqual([{ field: 'orders', detail: 'must NOT have fewer than 1 items' }]);
      const tooMany = { orders: Array.from({ length: 101 }, () => order('prod_001')) };
      expectProblem(await call(`${stack.base}/v2/orders/bulk`, { token: acme, idempotencyKey: 'bulk-5', body: tooMany }), 400, 'validation-failed');
      const nested = expectProblem(
        await call(`${stack.base}/v2/orders/bulk`, { token: acme, idempotencyKey: 'bulk-6', body: { orders: [order('prod_001'), { items: [{ productId: 'prod_001' }], note: 'x' }] } }),
        400,
        'validation-failed',
      );
      expect(nested['errors']).toEqual(expect.arrayContaining([{ field: 'orders[1].note', detail: 'is not a known field' }, { field: 'orders[1].items[0].quantity', detail: 'is required' }]));
    });
  });
});

describe('bff-partner: idempotency keys expire', () => {
  let stack: PartnerStack;

  beforeAll(async () => {
    // Both layers remember keys for 2 s here (24 h by default).
    stack = await startPartnerStack({ bffEnv: { IDEMPOTENCY_TTL: '2s' }, ordersEnv: { IDEMPOTENCY_TTL: '2s' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('treats a key as new once it expired', async () => {
    const token = await stack.partnerToken('partner-globex');
    const first = await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'expiring', body: order('prod_001') });
    expect(first.status).toBe(201);
    expectProblem(await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'expiring', body: order('prod_002') }), 422, 'idempotency-key-reused');
    await sleep(2300);
    const later: Reply = await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'expiring', body: order('prod_002') });
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.json<OrderV2>().id).not.toBe(first.json<OrderV2>().id);
  });
});
