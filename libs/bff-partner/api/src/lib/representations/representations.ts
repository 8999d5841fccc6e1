import type { OperationItemV1, OperationItemV2, OperationV1, OperationV2, OrderPageV1, OrderPageV2, OrderV1, OrderV2, PartnerApiVersion, ProductPageV1, ProductPageV2, ProductV1, ProductV2 } from '@edge/contracts-partner';
import type { OperationRecord } from '../operations/operation.record';
import type { UpstreamOrder, UpstreamPage, UpstreamProduct } from '../upstream/upstream-models';
import { decimalString } from './money';

/**
 * What each API version sends. The one breaking change of v2: money is `{ amount, currency }`
 * in minor units instead of v1's decimal strings with the currency beside them. Every field
 * is picked explicitly, so nothing internal (tenant, service fields) can slip through.
 */
export interface Representation<O, OP, P, PP, OPR> {
  readonly version: PartnerApiVersion;
  order(order: UpstreamOrder): O;
  orderPage(page: UpstreamPage<UpstreamOrder>): OP;
  product(product: UpstreamProduct): P;
  productPage(page: UpstreamPage<UpstreamProduct>): PP;
  operation(operation: OperationRecord): OPR;
}

function page<T, R>(upstream: UpstreamPage<T>, map: (item: T) => R): { items: R[]; nextCursor?: string } {
  return { items: upstream.items.map(map), ...(upstream.nextCursor !== undefined ? { nextCursor: upstream.nextCursor } : {}) };
}

function operationOf<O, I>(record: OperationRecord, order: (o: UpstreamOrder) => O): Omit<OperationV1, 'results'> & { results: I[] } {
  const succeeded = record.items.filter((i) => i.status === 'succeeded').length;
  const failed = record.items.filter((i) => i.status === 'failed').length;
  return {
    id: record.id,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    total: record.items.length,
    succeeded,
    failed,
    results: record.items.map((item, index) => ({
      index,
      status: item.status,
      ...(item.order !== undefined ? { order: order(item.order) } : {}),
      ...(item.problem !== undefined ? { problem: item.problem } : {}),
    })) as I[],
  };
}

function orderV1(o: UpstreamOrder): OrderV1 {
  return {
    id: o.id,
    status: o.status,
    createdAt: o.createdAt,
    placedBy: o.userId,
    currency: o.total.currency,
    items: o.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: decimalString(i.unitPrice.amount, i.unitPrice.currency) })),
    total: decimalString(o.total.amount, o.total.currency),
  };
}

function orderV2(o: UpstreamOrder): OrderV2 {
  return {
    id: o.id,
    status: o.status,
    createdAt: o.createdAt,
    placedBy: o.userId,
    items: o.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: { amount: i.unitPrice.amount, currency: i.unitPrice.currency } })),
    total: { amount: o.total.amount, currency: o.total.currency },
  };
}

function productBase(p: UpstreamProduct) {
  return { id: p.id, sku: p.sku, name: p.name, description: p.description, category: p.category, stock: p.stock, visibility: p.visibility };
}

function productV1(p: UpstreamProduct): ProductV1 {
  return { ...productBase(p), price: decimalString(p.price.amount, p.price.currency), currency: p.price.currency };
}

function productV2(p: UpstreamProduct): ProductV2 {
  return { ...productBase(p), price: { amount: p.price.amount, currency: p.price.currency } };
}

export const V1: Representation<OrderV1, OrderPageV1, ProductV1, ProductPageV1, OperationV1> = {
  version: 'v1',
  order: orderV1,
  orderPage: (p) => page(p, orderV1),
  product: productV1,
  productPage: (p) => page(p, productV1),
  operation: (r) => operationOf<OrderV1, OperationItemV1>(r, orderV1),
};

export const V2: Representation<OrderV2, OrderPageV2, ProductV2, ProductPageV2, OperationV2> = {
  version: 'v2',
  order: orderV2,
  orderPage: (p) => page(p, orderV2),
  product: productV2,
  productPage: (p) => page(p, productV2),
  operation: (r) => operationOf<OrderV2, OperationItemV2>(r, orderV2),
};
