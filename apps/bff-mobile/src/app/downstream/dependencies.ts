import type { DownstreamTokenPolicy } from '@edge/auth';

/** The domain services this BFF calls: http-client name, base URL setting and token policy. */
export const DEPENDENCIES = {
  customers: { urlSetting: 'CUSTOMERS_URL', tokens: { mode: 'exchange', resource: 'urn:customers-api', scopes: ['profile:read'] } },
  // No explicit scopes: the IdP narrows to the orders scopes the caller holds (reads need
  // orders:read, POST needs orders:write; asking for both would fail read-only callers).
  orders: { urlSetting: 'ORDERS_URL', tokens: { mode: 'exchange', resource: 'urn:orders-api' } },
  catalog: { urlSetting: 'CATALOG_URL', tokens: { mode: 'exchange', resource: 'urn:catalog-api', scopes: ['catalog:read'] } },
  recommendations: { urlSetting: 'RECOMMENDATIONS_URL', tokens: { mode: 'exchange', resource: 'urn:recommendations-api', scopes: ['recommendations:read'] } },
} as const satisfies Record<string, { urlSetting: string; tokens: DownstreamTokenPolicy }>;

export type DependencyName = keyof typeof DEPENDENCIES;
