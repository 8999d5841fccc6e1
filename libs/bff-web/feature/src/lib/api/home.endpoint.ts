import { defineBffEndpoint } from '@edge/composition';
import type { HttpClient } from '@edge/http-client';
import type { HomeDto } from '@edge/contracts-web';
import { productsById } from './products';
import { DEPENDENCIES, type CustomerView, type OrderPageView, type ProductView, type RecommendationsView } from './upstream-views';

const RECENT_ORDERS = 5;
const RECOMMENDATIONS = 4;

/**
 * `GET /web/api/home`: profile and recent orders are required (the screen is useless
 * without them); recommendations, and the catalog names and prices that decorate them, are
 * optional — when they fail the screen is served partial with a warning.
 */
export const homeEndpoint = defineBffEndpoint<void>('web-home', { deadlineMs: 2_000 })
  .part('profile', {
    dependency: DEPENDENCIES.customers,
    deadlineMs: 1_500,
    policy: 'required',
    call: (client: HttpClient, ctx) => client.get<CustomerView>('/customers/me', ctx.call).then((r) => r.body),
  })
  .part('orders', {
    dependency: DEPENDENCIES.orders,
    deadlineMs: 1_500,
    policy: 'required',
    call: (client: HttpClient, ctx) => client.get<OrderPageView>('/orders', { ...ctx.call, query: { limit: RECENT_ORDERS } }).then((r) => r.body.items),
  })
  .part('recommendations', {
    dependency: DEPENDENCIES.recommendations,
    deadlineMs: 800,
    policy: 'optional',
    fallback: (): RecommendationsView['items'] | null => null,
    call: (client: HttpClient, ctx) => client.get<RecommendationsView>('/recommendations', { ...ctx.call, query: { limit: RECOMMENDATIONS } }).then((r) => r.body.items),
  })
  .part('products', {
    dependency: DEPENDENCIES.catalog,
    deadlineMs: 800,
    policy: 'optional',
    needs: ['recommendations'],
    fallback: () => new Map<string, ProductView>(),
    call: (client: HttpClient, ctx, needs) => productsById(client, (needs.recommendations ?? []).map((r) => r.productId), ctx.call),
  })
  .shape((v): HomeDto => ({
    profile: { name: v.profile.name, email: v.profile.email, tier: v.profile.tier, tenant: v.profile.tenant },
    recentOrders: v.orders.map((o) => ({
      id: o.id,
      status: o.status,
      createdAt: o.createdAt,
      itemCount: o.items.reduce((n, i) => n + i.quantity, 0),
      total: { amount: o.total.amount, currency: o.total.currency },
    })),
    recommendations:
      v.recommendations === null
        ? null
        : v.recommendations.map((r) => {
            const product = v.products.get(r.productId);
            return { productId: r.productId, reason: r.reason, name: product?.name ?? null, price: product ? { amount: product.price.amount, currency: product.price.currency } : null };
          }),
  }));
