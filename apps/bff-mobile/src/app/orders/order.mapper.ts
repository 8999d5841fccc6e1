import type { MobileMoneyDto, MobileOrderDto, MobileOrderSummaryDto } from '@edge/contracts-mobile';
import type { UpstreamMoney, UpstreamOrder } from '../downstream/upstream-types';

/** Only the two money fields, whatever else the service sends. */
export function money(value: UpstreamMoney): MobileMoneyDto {
  return { amount: value.amount, currency: value.currency };
}

export function orderSummary(order: UpstreamOrder): MobileOrderSummaryDto {
  return {
    id: order.id,
    status: order.status,
    createdAt: order.createdAt,
    itemCount: order.items.reduce((sum, item) => sum + item.quantity, 0),
    total: money(order.total),
  };
}

export function orderDetail(order: UpstreamOrder): MobileOrderDto {
  return {
    id: order.id,
    status: order.status,
    createdAt: order.createdAt,
    items: order.items.map((item) => ({ productId: item.productId, quantity: item.quantity, unitPrice: money(item.unitPrice) })),
    total: money(order.total),
  };
}
