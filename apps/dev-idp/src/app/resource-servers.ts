import type { ResourceServer } from 'oidc-provider';

/** Scopes of DESIGN.md §3 that resource servers understand (OIDC adds openid and offline_access). */
export const API_SCOPES = ['catalog:read', 'orders:read', 'orders:write', 'profile:read', 'recommendations:read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What partner clients may ever hold. */
export const PARTNER_SCOPES: readonly ApiScope[] = ['catalog:read', 'orders:read', 'orders:write'];

export interface ApiResource {
  /** Resource indicator (RFC 8707), e.g. urn:orders-api. */
  indicator: string;
  /** The `aud` of its access tokens. */
  audience: string;
  scopes: readonly ApiScope[];
}

/** The audience every client-facing token carries; BFFs exchange it for the ones below. */
export const EDGE_API = 'urn:edge-api';

export const apiResources: readonly ApiResource[] = [
  { indicator: EDGE_API, audience: 'edge-api', scopes: API_SCOPES },
  { indicator: 'urn:catalog-api', audience: 'catalog-api', scopes: ['catalog:read'] },
  { indicator: 'urn:orders-api', audience: 'orders-api', scopes: ['orders:read', 'orders:write'] },
  { indicator: 'urn:customers-api', audience: 'customers-api', scopes: ['profile:read'] },
  { indicator: 'urn:recommendations-api', audience: 'recommendations-api', scopes: ['recommendations:read'] },
];

const byIndicator = new Map(apiResources.map((r) => [r.indicator, r]));
const byAudience = new Map(apiResources.map((r) => [r.audience, r]));

export function resourceByIndicator(indicator: string): ApiResource | undefined {
  return byIndicator.get(indicator);
}

export function resourceByAudience(audience: string): ApiResource | undefined {
  return byAudience.get(audience);
}

/**
 * oidc-provider's view of a resource server: JWT access tokens signed RS256 (cheapest to
 * verify, DESIGN.md §5) with the configured lifetime.
 */
export function toResourceServerInfo(resource: ApiResource, accessTokenTTL: number): ResourceServer {
  return {
    audience: resource.audience,
    scope: resource.scopes.join(' '),
    accessTokenTTL,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}
