import type { PartnerScope } from '@edge/contracts-partner';

/** The domain services behind the partner API, and what a token for each must be. */
export const PARTNER_DEPENDENCIES = {
  orders: { resource: 'urn:orders-api', scopes: ['orders:read', 'orders:write'] },
  catalog: { resource: 'urn:catalog-api', scopes: ['catalog:read'] },
} as const satisfies Record<string, { resource: string; scopes: readonly PartnerScope[] }>;

export type PartnerDependency = keyof typeof PARTNER_DEPENDENCIES;
