import type { Money } from '@edge/demo-kit';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  productId: string;
  quantity: number;
  unitPrice: Money;
}

export interface Order {
  id: string;
  tenant: string;
  /** The user who placed it (a partner client's id for partner orders). */
  userId: string;
  status: OrderStatus;
  /** ISO 8601, UTC. */
  createdAt: string;
  items: OrderItem[];
  total: Money;
  /** Internal: never part of a client-facing view. */
  fulfilmentNode: string;
  /** Internal: never part of a client-facing view. */
  fraudScore: number;
}

export type OrderView = Omit<Order, 'fulfilmentNode' | 'fraudScore'>;

export function orderView(order: Order): OrderView {
  return {
    id: order.id,
    tenant: order.tenant,
    userId: order.userId,
    status: order.status,
    createdAt: order.createdAt,
    items: order.items.map((i) => ({ productId: i.productId, quantity: i.quantity, unitPrice: { ...i.unitPrice } })),
    total: { ...order.total },
  };
}

/** createdAt descending, then id descending: a total order, so pages never overlap. */
export function newestFirst(a: Order, b: Order): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
