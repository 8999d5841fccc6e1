import { Logger } from '@nestjs/common';
import type { HttpClient } from '@edge/http-client';
import { problem } from '@edge/problem-details';
import type { UpstreamCustomer, UpstreamOrder } from '../downstream/upstream-types';
import { homeEndpoint } from './home.endpoint';

Logger.overrideLogger(false);

const order = (i: number): UpstreamOrder => ({
  id: `ord_000${i}`,
  tenant: 'acme',
  userId: 'alice',
  status: 'paid',
  createdAt: `2026-01-0${i}T00:00:00.000Z`,
  items: [{ productId: 'prod_001', quantity: 2, unitPrice: { amount: 100, currency: 'EUR' } }, { productId: 'prod_002', quantity: 1, unitPrice: { amount: 50, currency: 'EUR' } }],
  total: { amount: 250, currency: 'EUR' },
  fraudScore: 0.9,
  fulfilmentNode: 'node-7',
});
const customer: UpstreamCustomer = { id: 'alice', tenant: 'acme', name: 'Alice', email: 'alice@example.test', tier: 'gold', address: { line1: '1 Harbour Street', city: 'Hamburg', postalCode: '20095', country: 'DE' }, riskScore: 0.2 };

/** Fake clients answering by path, the way HttpClient resolves (or throws an UpstreamError-like problem). */
function clients(answers: Record<string, () => Promise<unknown>>) {
  return (dependency: string) =>
    ({
      get: async (path: string) => {
        const answer = answers[`${dependency} ${path}`];
        if (!answer) throw new Error(`unexpected call ${dependency} ${path}`);
        return { status: 200, headers: {}, body: await answer() };
      },
    }) as unknown as HttpClient;
}

describe('homeEndpoint', () => {
  const healthy = {
    'customers /customers/me': async () => customer,
    'orders /orders': async () => ({ items: [1, 2, 3, 4, 5, 6].map(order), nextCursor: 'x' }),
    'recommendations /recommendations': async () => ({ items: [{ productId: 'prod_003', reason: 'Because you like kitchen', score: 0.9 }] }),
  };

  it('shapes the compact home DTO: no internal fields, at most five orders', async () => {
    const result = await homeEndpoint.bind(clients(healthy)).run(undefined);
    expect(result.partial).toBe(false);
    expect(result.body).toEqual({
      profile: { name: 'Alice', tier: 'gold' },
      recentOrders: [1, 2, 3, 4, 5].map((i) => ({ id: `ord_000${i}`, status: 'paid', createdAt: `2026-01-0${i}T00:00:00.000Z`, itemCount: 3, total: { amount: 250, currency: 'EUR' } })),
      recommendations: [{ productId: 'prod_003', reason: 'Because you like kitchen' }],
    });
  });

  it('is partial with an empty list when recommendations fail, and fails when orders do', async () => {
    const partial = await homeEndpoint.bind(clients({ ...healthy, 'recommendations /recommendations': () => Promise.reject(problem('upstream-unavailable')) })).run(undefined);
    expect(partial.body.recommendations).toEqual([]);
    expect(partial.body.warnings).toEqual([{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'error' }]);
    const failure = problem('bad-gateway');
    await expect(homeEndpoint.bind(clients({ ...healthy, 'orders /orders': () => Promise.reject(failure) })).run(undefined)).rejects.toBe(failure);
  });
});
