import { CATALOG_SEED, CURRENCY, DEV_USERS, isVisibleTo } from '@edge/demo-kit';
import { ORDER_STATUSES, type Order, type OrderItem } from './order.model';

const perUser: Record<string, number> = { alice: 7, bob: 3, carol: 3 };
const nodes = ['fra-1', 'ams-2', 'dub-1'];

/**
 * Deterministic demo orders: alice 7, bob 3 (acme), carol 3 (globex). Two of alice's orders
 * share a timestamp so the id tie-break of the sort is exercised.
 */
export function seedOrders(): Order[] {
  const orders: Order[] = [];
  let n = 0;
  for (const user of DEV_USERS) {
    const products = CATALOG_SEED.filter((p) => isVisibleTo(p, user.tenant));
    for (let k = 0; k < (perUser[user.id] ?? 0); k++) {
      n++;
      const day = k === 1 && user.id === 'alice' ? 0 : k;
      const createdAt = new Date(Date.UTC(2026, 0, 5 + day * 9, 10 + (day % 7), 0, 0)).toISOString();
      const items: OrderItem[] = [0, 1].slice(0, 1 + (n % 2)).map((j) => {
        const product = products[(n * 7 + j * 11) % products.length] as (typeof products)[number];
        return { productId: product.id, quantity: 1 + ((n + j) % 3), unitPrice: { ...product.price } };
      });
      orders.push({
        id: `ord_${String(n).padStart(4, '0')}`,
        tenant: user.tenant,
        userId: user.id,
        status: ORDER_STATUSES[n % ORDER_STATUSES.length] as Order['status'],
        createdAt,
        items,
        total: { amount: items.reduce((sum, i) => sum + i.unitPrice.amount * i.quantity, 0), currency: CURRENCY },
        fulfilmentNode: nodes[n % nodes.length] as string,
        fraudScore: (n * 37) % 100,
      });
    }
  }
  return orders;
}
