/** Every scope a partner credential (OAuth client or API key) can hold. */
export const PARTNER_SCOPES = ['catalog:read', 'orders:read', 'orders:write'] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

export function isPartnerScope(value: string): value is PartnerScope {
  return (PARTNER_SCOPES as readonly string[]).includes(value);
}

/** The header partners that cannot do OAuth send their API key in (lower case: as Node reads headers). */
export const API_KEY_HEADER = 'x-api-key';
/** …and as documents and messages spell it. */
export const API_KEY_HEADER_NAME = 'X-Api-Key';

/** Where the partner API lives: every route is under one of these. */
export const PARTNER_API_VERSIONS = ['v1', 'v2'] as const;
export type PartnerApiVersion = (typeof PARTNER_API_VERSIONS)[number];
export const PARTNER_BASE_PATH = '/partner';
export const PARTNER_OPENAPI_PATH = '/partner/openapi.json';

/** When v2 was published: v1's default deprecation date (its Deprecation header) once a sunset is set. */
export const PARTNER_V2_PUBLISHED_AT = '2026-11-29T00:00:00Z';
