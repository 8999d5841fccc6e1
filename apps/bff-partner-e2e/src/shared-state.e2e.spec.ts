import { startRedisServer, type RedisServer, type SpawnedApp } from '@edge/testing';
import { call, eventually, expectProblem, sleep, startPartnerStack, type PartnerStack } from './support';

/** Two bff-partner instances sharing one Redis behave as one. */
describe('bff-partner: two instances sharing Redis', () => {
  let redis: RedisServer;
  let stack: PartnerStack;
  let a: SpawnedApp;
  let b: SpawnedApp;

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startPartnerStack({ redisUrl: redis.url, instances: 2, bffEnv: { PARTNER_LIMITS: '{"partner-globex":{"rate":4}}' } });
    [a, b] = stack.bffs as [SpawnedApp, SpawnedApp];
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('shares API keys: created by the CLI in Redis, accepted by both, revoked for both', async () => {
    const { id, key } = stack.createKey({ tenant: 'acme', scopes: 'orders:read' });
    for (const app of [a, b]) expect((await call(`${app.url}/partner/v2/orders?limit=1`, { apiKey: key })).status).toBe(200);
    stack.revokeKey(id);
    for (const app of [a, b]) expectProblem(await call(`${app.url}/partner/v2/orders?limit=1`, { apiKey: key }), 401, 'unauthorized');
  });

  it('shares idempotency: concurrent duplicates spread over both instances create one order', async () => {
    const token = await stack.partnerToken('partner-acme');
    const body = { items: [{ productId: 'prod_020', quantity: 2 }] };
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => call(`${(i % 2 ? a : b).url}/partner/v2/orders`, { token, idempotencyKey: 'two-instances', body })));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(new Set(replies.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    expect(replies.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    const orders = (await call(`${a.url}/partner/v2/orders?limit=100`, { token })).json<{ items: { items: { productId: string }[] }[] }>().items;
    expect(orders.filter((o) => o.items[0]?.productId === 'prod_020')).toHaveLength(1);
    expectProblem(await call(`${b.url}/partner/v2/orders`, { token, idempotencyKey: 'two-instances', body: { items: [{ productId: 'prod_020', quantity: 3 }] } }), 422, 'idempotency-key-reused');
  });

  it('shares rate limits: the partner limit counts requests to either instance', async () => {
    const token = await stack.partnerToken('partner-globex');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(`${(i % 2 ? a : b).url}/partner/v2/products?limit=1`, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('shares operations: started on one instance, read on the other', async () => {
    const token = await stack.partnerToken('partner-acme');
    const accepted = await call(`${a.url}/partner/v2/orders/bulk`, { token, idempotencyKey: 'shared-bulk', body: { orders: [{ items: [{ productId: 'prod_021', quantity: 1 }] }] } });
    expect(accepted.status).toBe(202);
    const location = accepted.headers['location'] as string;
    const done = await eventually(async () => {
      const reply = await call(`${b.url}${location}`, { token });
      expect(reply.status).toBe(200);
      const operation = reply.json<{ status: string }>();
      return operation.status === 'pending' ? undefined : operation;
    });
    expect(done.status).toBe('succeeded');
    const replay = await call(`${b.url}/partner/v2/orders/bulk`, { token, idempotencyKey: 'shared-bulk', body: { orders: [{ items: [{ productId: 'prod_021', quantity: 1 }] }] } });
    expect(replay.headers['location']).toBe(location);
  });

  it('finishes the orders in flight on shutdown and records the rest as not placed, never leaving them pending', async () => {
    const extra = await stack.startBff();
    const token = await stack.partnerToken('partner-acme');
    await call(`${stack.orders.url}/__faults`, { method: 'PUT', body: { latencyMs: 400 } });
    try {
      const orders = Array.from({ length: 12 }, (_, i) => ({ items: [{ productId: `prod_0${30 + i}`, quantity: 1 }] }));
      const accepted = await call(`${extra.url}/partner/v2/orders/bulk`, { token, idempotencyKey: 'bulk-shutdown', body: { orders } });
      expect(accepted.status).toBe(202);
      await sleep(100);
      expect(await extra.stop('SIGTERM')).toBe(0);
      const operation = (await call(`${a.url}${accepted.headers['location'] as string}`, { token })).json<{ status: string; results: { status: string; problem?: { type: string } }[] }>();
      expect(operation.status).toBe('failed');
      expect(operation.results.some((r) => r.status === 'pending')).toBe(false);
      const placed = operation.results.filter((r) => r.status === 'succeeded');
      const notPlaced = operation.results.filter((r) => r.problem?.type === 'urn:edge:problem:draining');
      expect(placed.length).toBeGreaterThan(0);
      expect(notPlaced.length).toBeGreaterThan(0);
      expect(placed.length + notPlaced.length).toBe(orders.length);
    } finally {
      await call(`${stack.orders.url}/__faults`, { method: 'DELETE' });
    }
  });

  it('fails closed for commands and keys, open for limits, while Redis is down', async () => {
    const token = await stack.partnerToken('partner-acme');
    await redis.stop();
    try {
      // Queries still work (the limits fail open); commands cannot promise idempotency (503).
      expect((await call(`${a.url}/partner/v2/products?limit=1`, { token })).status).toBe(200);
      const command = await call(`${a.url}/partner/v2/orders`, { token, idempotencyKey: 'redis-down', body: { items: [{ productId: 'prod_022', quantity: 1 }] } });
      expectProblem(command, 503, 'dependency-unavailable');
      expect(command.headers['retry-after']).toBe('1');
      expectProblem(await call(`${a.url}/partner/v2/orders`, { apiKey: `pk_${'a'.repeat(16)}_${'B'.repeat(43)}` }), 503, 'dependency-unavailable');
    } finally {
      await redis.start();
    }
    await eventually(async () => ((await call(`${a.url}/partner/v2/orders`, { token, idempotencyKey: 'redis-back', body: { items: [{ productId: 'prod_022', quantity: 1 }] } })).status === 201 ? true : undefined));
  });
});
