import type { OperationRecord } from '../operations/operation.record';
import type { UpstreamOrder, UpstreamProduct } from '../upstream/upstream-models';
import { V1, V2 } from './representations';

const order = {
  id: 'ord_1',
  tenant: 'acme',
  userId: 'partner-acme',
  status: 'paid',
  createdAt: '2026-05-01T09:30:00.000Z',
  items: [{ productId: 'prod_001', quantity: 2, unitPrice: { amount: 1299, currency: 'EUR' } }],
  total: { amount: 2598, currency: 'EUR' },
  // Internal fields a service might add: never passed on.
  fulfilmentNode: 'fra-1',
  fraudScore: 7,
} as UpstreamOrder;

const product = {
  id: 'prod_001',
  sku: 'KIT-1',
  name: 'Cup',
  description: 'A cup.',
  price: { amount: 450, currency: 'EUR' },
  category: 'kitchen',
  stock: 3,
  visibility: 'public',
  costPrice: { amount: 100, currency: 'EUR' },
  supplierCode: 'S-1',
} as UpstreamProduct;

describe('representations', () => {
  it('v2: money as { amount, currency } in minor units; internal fields never leave', () => {
    expect(V2.order(order)).toEqual({
      id: 'ord_1',
      status: 'paid',
      createdAt: '2026-05-01T09:30:00.000Z',
      placedBy: 'partner-acme',
      items: [{ productId: 'prod_001', quantity: 2, unitPrice: { amount: 1299, currency: 'EUR' } }],
      total: { amount: 2598, currency: 'EUR' },
    });
    expect(V2.product(product)).toEqual({ id: 'prod_001', sku: 'KIT-1', name: 'Cup', description: 'A cup.', category: 'kitchen', stock: 3, visibility: 'public', price: { amount: 450, currency: 'EUR' } });
  });

  it('v1: decimal strings with the currency beside them', () => {
    expect(V1.order(order)).toEqual({
      id: 'ord_1',
      status: 'paid',
      createdAt: '2026-05-01T09:30:00.000Z',
      placedBy: 'partner-acme',
      currency: 'EUR',
      items: [{ productId: 'prod_001', quantity: 2, unitPrice: '12.99' }],
      total: '25.98',
    });
    expect(V1.product(product)).toMatchObject({ price: '4.50', currency: 'EUR' });
    expect(V1.product(product)).not.toHaveProperty('costPrice');
  });

  it('pages keep the cursor only when there is one', () => {
    expect(V2.orderPage({ items: [order], nextCursor: 'c' }).nextCursor).toBe('c');
    expect(V1.productPage({ items: [product] })).not.toHaveProperty('nextCursor');
  });

  it('operations count outcomes and render each placed order in the version asked for', () => {
    const record: OperationRecord = {
      id: 'op_1',
      tenant: 'acme',
      partner: 'partner-acme',
      status: 'failed',
      createdAt: 'a',
      updatedAt: 'b',
      items: [{ status: 'succeeded', order }, { status: 'failed', problem: { type: 'urn:edge:problem:bad-gateway', title: 'Bad gateway', status: 502 } }, { status: 'pending' }],
    };
    const v1 = V1.operation(record);
    expect(v1).toMatchObject({ id: 'op_1', status: 'failed', total: 3, succeeded: 1, failed: 1 });
    expect(v1).not.toHaveProperty('tenant');
    expect(v1.results).toEqual([
      { index: 0, status: 'succeeded', order: V1.order(order) },
      { index: 1, status: 'failed', problem: { type: 'urn:edge:problem:bad-gateway', title: 'Bad gateway', status: 502 } },
      { index: 2, status: 'pending' },
    ]);
    expect(V2.operation(record).results[0]?.order).toEqual(V2.order(order));
  });
});
