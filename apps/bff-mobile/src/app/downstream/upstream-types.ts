import type { CustomerView, Money, OrderView, Page, ProductView, RecommendationsView } from '@edge/contracts-domain';

/**
 * What the domain services answer (@edge/contracts-domain), as this BFF reads it: the
 * published views plus whatever internal fields a service adds (never returned to the app —
 * mappers pick fields into the mobile DTOs).
 */
type WithInternals<T> = T & { [internal: string]: unknown };

export type UpstreamMoney = Money;
export type UpstreamCustomer = WithInternals<CustomerView>;
export type UpstreamOrder = WithInternals<OrderView>;
export type UpstreamPage<T> = Page<T>;
export type UpstreamProduct = WithInternals<ProductView>;
export type UpstreamRecommendations = RecommendationsView;
