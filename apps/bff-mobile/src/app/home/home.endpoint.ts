import { HOME_RECENT_ORDERS, HOME_RECOMMENDATIONS, type MobileHomeDto } from '@edge/contracts-mobile';
import { defineBffEndpoint } from '@edge/composition';
import type { UpstreamCustomer, UpstreamOrder, UpstreamPage, UpstreamRecommendations } from '../downstream/upstream-types';
import { orderSummary } from '../orders/order.mapper';

/**
 * `GET /mobile/v1/home`: profile, recent orders and recommendations in one round trip. The
 * three calls run in parallel; recommendations are optional (empty list + warning when
 * they fail or are late), the other two are required.
 */
export const homeEndpoint = defineBffEndpoint('mobile-home', { deadlineMs: 1_500 })
  .part('profile', {
    dependency: 'customers',
    deadlineMs: 1_200,
    policy: 'required',
    call: async (customers, ctx) => (await customers.get<UpstreamCustomer>('/customers/me', ctx.call)).body,
  })
  .part('recentOrders', {
    dependency: 'orders',
    deadlineMs: 1_200,
    policy: 'required',
    call: async (orders, ctx) => (await orders.get<UpstreamPage<UpstreamOrder>>('/orders', { ...ctx.call, query: { limit: HOME_RECENT_ORDERS } })).body.items,
  })
  .part('recommendations', {
    dependency: 'recommendations',
    deadlineMs: 500,
    policy: 'optional',
    fallback: (): UpstreamRecommendations['items'] => [],
    call: async (recommendations, ctx) =>
      (await recommendations.get<UpstreamRecommendations>('/recommendations', { ...ctx.call, query: { limit: HOME_RECOMMENDATIONS } })).body.items,
  })
  .shape(
    (v): MobileHomeDto => ({
      profile: { name: v.profile.name, tier: v.profile.tier },
      recentOrders: v.recentOrders.slice(0, HOME_RECENT_ORDERS).map(orderSummary),
      recommendations: v.recommendations.slice(0, HOME_RECOMMENDATIONS).map((r) => ({ productId: r.productId, reason: r.reason })),
    }),
  );
