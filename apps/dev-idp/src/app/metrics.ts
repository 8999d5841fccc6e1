import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';
import { TOKEN_EXCHANGE_GRANT } from './clients';

/**
 * Every token endpoint request, by grant type and authenticated client (tests of the BFFs
 * count refreshes and exchanges with it). Labels stay bounded: unknown grant types are
 * "other", unauthenticated callers "unauthenticated".
 */
export const tokenRequests = new Counter({
  name: 'dev_idp_token_requests_total',
  help: 'Token endpoint requests, by grant type and authenticated client',
  labelNames: ['grant_type', 'client_id'] as const,
  registers: [metricsRegistry],
});

/** The failed ones among them, by OAuth error code. */
export const tokenErrors = new Counter({
  name: 'dev_idp_token_errors_total',
  help: 'Token endpoint requests that failed, by grant type, authenticated client and OAuth error code',
  labelNames: ['grant_type', 'client_id', 'error'] as const,
  registers: [metricsRegistry],
});

const KNOWN_GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials', TOKEN_EXCHANGE_GRANT]);
const ERROR_CODE = /^[a-z_]{1,40}$/;

export function recordTokenRequest(grantType: unknown, clientId: string | undefined, error: unknown): void {
  const labels = {
    grant_type: typeof grantType === 'string' && KNOWN_GRANTS.has(grantType) ? grantType : grantType === undefined ? 'none' : 'other',
    client_id: clientId ?? 'unauthenticated',
  };
  tokenRequests.inc(labels);
  if (error !== undefined) tokenErrors.inc({ ...labels, error: typeof error === 'string' && ERROR_CODE.test(error) ? error : 'other' });
}
