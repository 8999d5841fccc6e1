import { defineBffEndpoint } from '@edge/composition';
import type { HttpClient } from '@edge/http-client';
import type { OrderDetailsDto } from '@edge/contracts-web';
import { productsById } from './products';
import { DEPENDENCIES, type OrderView, type ProductView } from './upstream-views';

/** An order as the SPA shows it: the order itself is required; product names are optional decoration. */
export function orderDetails(order: OrderView, products: ReadonlyMap<string, ProductView>): OrderDetailsDto {
  return {
    id: order.id,
    status: order.status,
    createdAt: order.createdAt,
    lines: order.items.map((i) => ({
      productId: i.productId,
      name: products.get(i.productId)?.name ?? null,
      quantity: i.quantity,
      unitPrice: { amount: i.unitPrice.amount, currency: i.unitPrice.currency },
    })),
    total: { amount: order.total.amount, currency: order.total.currency },
  };
}

/** `GET /web/api/orders/:id`: another user's order is the orders service's 404, passed on. */
export const orderDetailsEndpoint = defineBffEndpoint<{ id: string }>('web-order-details', { deadlineMs: 2_000 })
  .part('order', {
    dependency: DEPENDENCIES.orders,
    deadlineMs: 1_000,
    policy: 'required',
    call: (client: HttpClient, ctx) => client.get<OrderView>('/orders/:id', { ...ctx.call, params: { id: ctx.input.id } }).then((r) => r.body),
  })
  .part('products', {
    dependency: DEPENDENCIES.catalog,
    deadlineMs: 800,
    policy: 'optional',
    needs: ['order'],
    fallback: () => new Map<string, ProductView>(),
    call: (client: HttpClient, ctx, needs) => productsById(client, needs.order.items.map((i) => i.productId), ctx.call),
  })
  .shape((v) => orderDetails(v.order, v.products));

/** The order just placed, decorated with product names (optional: the order exists either way). */
export const placedOrderEndpoint = defineBffEndpoint<OrderView>('web-placed-order', { deadlineMs: 1_000 })
  .part('products', {
    dependency: DEPENDENCIES.catalog,
    deadlineMs: 800,
    policy: 'optional',
    fallback: () => new Map<string, ProductView>(),
    call: (client: HttpClient, ctx) => productsById(client, ctx.input.items.map((i) => i.productId), ctx.call),
  })
  .shape((v, order) => orderDetails(order, v.products));
