import type { OrderView, Page } from '@edge/contracts-domain';

/**
 * What bff-web reads from the domain services: their published views, shared by every BFF
 * (@edge/contracts-domain). The SPA never sees these shapes: the endpoints map them to the
 * contracts in @edge/contracts-web, so service-internal fields cannot leak through.
 */
export type { CustomerView, Money, OrderView, ProductView, RecommendationsView } from '@edge/contracts-domain';

export type OrderPageView = Page<OrderView>;

/** The http-client names bff-web calls (one client, breaker and token policy each). */
export const DEPENDENCIES = {
  customers: 'customers',
  orders: 'orders',
  recommendations: 'recommendations',
  catalog: 'catalog',
} as const;
