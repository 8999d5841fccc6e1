/**
 * The wire rules between the SPA and bff-web, shared so neither side spells them twice.
 * Every `/web/api/*` and `/web/session` call carries `X-CSRF: 1` (a custom header makes
 * cross-origin calls preflighted, and bff-web approves no preflight); state-changing ones
 * also an allowed `Origin` (browsers add it).
 */
export const CSRF_HEADER = 'x-csrf';
export const CSRF_HEADER_VALUE = '1';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const PARTIAL_RESPONSE_HEADER = 'partial-response';

export const WEB_BASE_PATH = '/web';
export const WEB_PATHS = {
  app: '/web/',
  login: '/web/login',
  callback: '/web/callback',
  logout: '/web/logout',
  session: '/web/session',
  backchannelLogout: '/web/backchannel-logout',
  home: '/web/api/home',
  checkoutSummary: '/web/api/checkout-summary',
  checkout: '/web/api/checkout',
  order: (id: string) => `/web/api/orders/${encodeURIComponent(id)}`,
} as const;

/** Basket lines travel in the summary's query as `item=<productId>:<quantity>`. */
export function basketQuery(items: readonly { productId: string; quantity: number }[]): string {
  return items.map((i) => `item=${encodeURIComponent(`${i.productId}:${i.quantity}`)}`).join('&');
}
