import type { SpawnedApp } from '@edge/testing';
import { call, expectProblem, sleep, startPartnerStack, type PartnerStack } from './support';

interface Money {
  amount: number;
  currency: string;
}

describe('bff-partner: v1 and v2', () => {
  let stack: PartnerStack;
  let sunsetting: SpawnedApp;
  let token: string;

  beforeAll(async () => {
    stack = await startPartnerStack();
    sunsetting = await stack.startBff({ PARTNER_V1_SUNSET: '2027-06-30T00:00:00Z', PARTNER_V1_DEPRECATED_AT: '2026-12-01T00:00:00Z' });
    token = await stack.partnerToken('partner-acme');
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('represents money as decimal strings in v1 and as minor units in v2, everything else alike', async () => {
    const v1 = (await call(`${stack.base}/v1/orders/ord_0001`, { token })).json<{ total: string; currency: string; items: { unitPrice: string; quantity: number }[] }>();
    const v2 = (await call(`${stack.base}/v2/orders/ord_0001`, { token })).json<{ total: Money; items: { unitPrice: Money; quantity: number }[] }>();
    expect(v1.total).toMatch(/^\d+\.\d{2}$/);
    expect(Number.isInteger(v2.total.amount)).toBe(true);
    expect(v1.total).toBe((v2.total.amount / 100).toFixed(2));
    expect(v1.currency).toBe(v2.total.currency);
    expect(v2).not.toHaveProperty('currency');
    v1.items.forEach((item, i) => expect(item.unitPrice).toBe(((v2.items[i]?.unitPrice.amount ?? NaN) / 100).toFixed(2)));
    const { total: _t1, currency: _c, items: _i1, ...rest1 } = v1;
    const { total: _t2, items: _i2, ...rest2 } = v2;
    expect(rest1).toEqual(rest2);

    const p1 = (await call(`${stack.base}/v1/products/prod_001`, { token })).json<{ price: string; currency: string }>();
    const p2 = (await call(`${stack.base}/v2/products/prod_001`, { token })).json<{ price: Money }>();
    expect(p1).toMatchObject({ price: (p2.price.amount / 100).toFixed(2), currency: p2.price.currency });
  });

  it('keeps v1 working without deprecation headers until a sunset is configured', async () => {
    const plain = await call(`${stack.base}/v1/orders?limit=1`, { token });
    expect(plain.status).toBe(200);
    expect(plain.headers['deprecation']).toBeUndefined();
    expect(plain.headers['sunset']).toBeUndefined();
  });

  it('announces the sunset on every v1 answer (errors included) and never on v2', async () => {
    for (const reply of [
      await call(`${sunsetting.url}/partner/v1/orders?limit=1`, { token }),
      await call(`${sunsetting.url}/partner/v1/orders/ord_0011`, { token }),
      await call(`${sunsetting.url}/partner/v1/products`),
    ]) {
      expect(reply.headers['deprecation']).toBe(`@${Date.parse('2026-12-01T00:00:00Z') / 1000}`);
      expect(reply.headers['sunset']).toBe('Wed, 30 Jun 2027 00:00:00 GMT');
      expect(reply.headers['link']).toContain('rel="successor-version"');
    }
    const v2 = await call(`${sunsetting.url}/partner/v2/orders?limit=1`, { token });
    expect(v2.status).toBe(200);
    expect(v2.headers['deprecation']).toBeUndefined();
    expect(v2.headers['sunset']).toBeUndefined();
    const document = (await call(`${sunsetting.url}/partner/openapi.json`)).json<{ paths: Record<string, Record<string, { deprecated?: boolean }>> }>();
    expect(document.paths['/partner/v1/orders']?.['get']?.deprecated).toBe(true);
    expect(document.paths['/partner/v2/orders']?.['get']?.deprecated).toBeUndefined();
  });
});

describe('bff-partner: per-partner rate limits and quotas', () => {
  let stack: PartnerStack;

  beforeAll(async () => {
    stack = await startPartnerStack({ bffEnv: { PARTNER_RATE_LIMIT: '3', PARTNER_RATE_WINDOW: '60s', PARTNER_LIMITS: '{"partner-globex":{"rate":1000}}' } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('announces the limits, refuses the request past the rate limit with 429 + Retry-After, and only for that partner', async () => {
    const key = stack.createKey({ tenant: 'acme', scopes: 'catalog:read' }).key;
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await call(`${stack.base}/v2/products?limit=1`, { apiKey: key });
      expect(reply.status).toBe(200);
      expect(reply.headers['ratelimit-policy']).toBe('"partner";q=3;w=60, "partner-quota";q=10000;w=86400');
      remaining.push(reply.headers['ratelimit'] as string);
    }
    expect(remaining.map((r) => /^"partner";r=(\d+);t=\d+$/.exec(r)?.[1])).toEqual(['2', '1', '0']);
    const refused = await call(`${stack.base}/v2/products?limit=1`, { apiKey: key });
    expectProblem(refused, 429, 'rate-limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(refused.headers['ratelimit']).toBe(`"partner";r=0;t=${retryAfter}`);
    // The OAuth credential of the same partner shares its limit; another partner has its own (and a higher one).
    expectProblem(await call(`${stack.base}/v2/products?limit=1`, { token: await stack.partnerToken('partner-acme') }), 429, 'rate-limited');
    const globex = await call(`${stack.base}/v2/products?limit=1`, { token: await stack.partnerToken('partner-globex') });
    expect(globex.status).toBe(200);
    expect(globex.headers['ratelimit-policy']).toContain('"partner";q=1000;w=60');
  });

  it('exhausts the quota of a period and starts over when the next period begins', async () => {
    const bff = await stack.startBff({ PARTNER_RATE_LIMIT: '1000', PARTNER_QUOTA: '4', PARTNER_QUOTA_PERIOD: '3s' });
    const token = await stack.partnerToken('partner-globex');
    // Start right after a period boundary, so that five requests fall in one period.
    await sleep(3000 - (Date.now() % 3000) + 50);
    for (let i = 0; i < 4; i++) expect((await call(`${bff.url}/partner/v2/products?limit=1`, { token })).status).toBe(200);
    const refused = await call(`${bff.url}/partner/v2/products?limit=1`, { token });
    expectProblem(refused, 429, 'quota-exceeded');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(refused.headers['ratelimit']).toBe(`"partner-quota";r=0;t=${retryAfter}`);
    await sleep(retryAfter * 1000 + 100);
    const again = await call(`${bff.url}/partner/v2/products?limit=1`, { token });
    expect(again.status).toBe(200);
    expect(again.headers['ratelimit']).toMatch(/^"partner-quota";r=3;t=[1-3]$/);
  });
});
