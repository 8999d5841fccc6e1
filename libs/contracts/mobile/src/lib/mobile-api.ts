/** Wire constants of the mobile API (one BFF for iOS and Android). */

/** Every mobile endpoint lives under this prefix; a breaking change gets `/mobile/v2`. */
export const MOBILE_BASE_PATH = '/mobile/v1';
/** The published OpenAPI document (the gateway's portal fetches it here). */
export const MOBILE_OPENAPI_PATH = '/mobile/openapi.json';

/** The app's own version, e.g. `3.12.0` (major.minor or major.minor.patch). */
export const APP_VERSION_HEADER = 'x-app-version';
/** `ios` or `android`. */
export const APP_PLATFORM_HEADER = 'x-app-platform';
export const APP_PLATFORMS = ['ios', 'android'] as const;
export type AppPlatform = (typeof APP_PLATFORMS)[number];

/** Sent on partial (composed) responses, with `warnings` in the body. */
export const PARTIAL_RESPONSE_HEADER = 'partial-response';

/** `GET /mobile/v1/orders?limit=`: 1..ORDER_PAGE_MAX_LIMIT, default ORDER_PAGE_DEFAULT_LIMIT. */
export const ORDER_PAGE_DEFAULT_LIMIT = 20;
export const ORDER_PAGE_MAX_LIMIT = 50;
/** `GET /mobile/v1/products?limit=`. */
export const PRODUCT_PAGE_DEFAULT_LIMIT = 20;
export const PRODUCT_PAGE_MAX_LIMIT = 50;
/** How many recent orders the home screen shows. */
export const HOME_RECENT_ORDERS = 5;
/** How many recommendations the home screen shows. */
export const HOME_RECOMMENDATIONS = 5;

/** `fields=` may name only these (comma-separated); `id` is always sent. */
export const PRODUCT_FIELDS = ['id', 'sku', 'name', 'description', 'price', 'category', 'inStock'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];
/** What a product carries when `fields=` is absent: enough for a list cell. */
export const DEFAULT_PRODUCT_FIELDS: readonly ProductField[] = ['id', 'name', 'price', 'inStock'];

/**
 * Payload budgets: the largest response (bytes of JSON before compression) and the most
 * downstream calls each endpoint may cost. The app measures every response against them
 * and a contract test fails when an endpoint exceeds them.
 */
export interface PayloadBudget {
  maxResponseBytes: number;
  maxDownstreamCalls: number;
}

export const MOBILE_PAYLOAD_BUDGETS = {
  'GET /mobile/v1/home': { maxResponseBytes: 3_072, maxDownstreamCalls: 3 },
  'GET /mobile/v1/orders': { maxResponseBytes: 8_192, maxDownstreamCalls: 1 },
  'GET /mobile/v1/orders/:id': { maxResponseBytes: 6_144, maxDownstreamCalls: 1 },
  'POST /mobile/v1/orders': { maxResponseBytes: 6_144, maxDownstreamCalls: 1 },
  'GET /mobile/v1/products': { maxResponseBytes: 16_384, maxDownstreamCalls: 1 },
  'GET /mobile/v1/products/:id': { maxResponseBytes: 1_024, maxDownstreamCalls: 1 },
} as const satisfies Record<string, PayloadBudget>;

export type MobileRouteKey = keyof typeof MOBILE_PAYLOAD_BUDGETS;
