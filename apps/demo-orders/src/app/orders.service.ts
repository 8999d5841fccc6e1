import { Injectable } from '@nestjs/common';
import { randomInt, randomUUID } from 'node:crypto';
import { canAccess, CURRENCY, findProduct, isVisibleTo, validationProblem, type Caller, type FieldError } from '@edge/demo-kit';
import type { CreateOrderDto } from './order.dto';
import { newestFirst, type Order, type OrderStatus } from './order.model';
import { seedOrders } from './orders.seed';

export interface OrderFilters {
  status?: string;
  createdAfter?: string;
  createdBefore?: string;
}

/** The authoritative orders of this demo (in memory, seeded at start). */
@Injectable()
export class OrdersService {
  private orders: Order[] = seedOrders().sort(newestFirst);

  /** The caller's orders (a partner's: its tenant's), newest first, filtered. */
  list(caller: Caller, filters: OrderFilters): Order[] {
    const after = filters.createdAfter === undefined ? undefined : Date.parse(filters.createdAfter);
    const before = filters.createdBefore === undefined ? undefined : Date.parse(filters.createdBefore);
    return this.orders.filter((o) => {
      if (!canAccess(caller, o)) return false;
      if (filters.status !== undefined && o.status !== filters.status) return false;
      const at = Date.parse(o.createdAt);
      return (after === undefined || at >= after) && (before === undefined || at < before);
    });
  }

  /** Undefined for unknown ids and for orders the caller may not see (same answer: 404). */
  get(caller: Caller, id: string): Order | undefined {
    const order = this.orders.find((o) => o.id === id);
    return order && canAccess(caller, order) ? order : undefined;
  }

  /** Validates product ids against the shared catalog seed (no call to the catalog) and places the order. */
  create(caller: Caller, dto: CreateOrderDto): Order {
    const errors: FieldError[] = [];
    const items = dto.items.map((item, i) => {
      const product = findProduct(item.productId);
      if (!product || !isVisibleTo(product, caller.tenant)) {
        errors.push({ field: `items[${i}].productId`, detail: 'is not a known product' });
        return undefined;
      }
      return { productId: product.id, quantity: item.quantity, unitPrice: { ...product.price } };
    });
    if (errors.length > 0) throw validationProblem(errors);
    const lines = items.filter((i) => i !== undefined);
    const order: Order = {
      id: `ord_${randomUUID()}`,
      tenant: caller.tenant,
      userId: caller.sub,
      status: 'pending' satisfies OrderStatus,
      createdAt: new Date().toISOString(),
      items: lines,
      total: { amount: lines.reduce((sum, l) => sum + l.unitPrice.amount * l.quantity, 0), currency: CURRENCY },
      fulfilmentNode: 'fra-1',
      fraudScore: randomInt(100),
    };
    this.orders = [order, ...this.orders].sort(newestFirst);
    return order;
  }
}
