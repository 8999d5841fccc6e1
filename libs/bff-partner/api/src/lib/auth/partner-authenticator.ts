import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { authProblem, extractBearerToken, isTokenError, TokenAuthenticator } from '@edge/auth';
import { ApiKeyService, ApiKeyStoreError, type ApiKeyRejection } from '@edge/bff-partner-api-keys';
import { API_KEY_HEADER, API_KEY_HEADER_NAME } from '@edge/contracts-partner';
import { metricsRegistry } from '@edge/observability';
import { problem } from '@edge/problem-details';
import type { PartnerCaller } from './partner-caller';

const BEARER_CHALLENGE = 'Bearer realm="partner"';
const KEY_CHALLENGE = `ApiKey realm="partner", header="${API_KEY_HEADER_NAME}"`;

const keyRejections: Record<ApiKeyRejection, string> = {
  malformed: 'The API key is malformed.',
  unknown: 'The API key is not valid.',
  revoked: 'The API key has been revoked.',
  expired: 'The API key has expired.',
};

const outcomes = new Counter({
  name: 'partner_auth_total',
  help: 'Partner authentication attempts by credential and outcome',
  labelNames: ['credential', 'result'] as const,
  registers: [metricsRegistry],
});

interface HeaderBag {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Who is calling: an OAuth client-credentials token of a partner client (audience edge-api,
 * verified here too: the gateway is not the only boundary) or an API key. Exactly one of the
 * two; every failure is a 401 problem (503 when the key store is down), and nothing about a
 * key but its public id ever reaches a log.
 */
@Injectable()
export class PartnerAuthenticator {
  constructor(
    @Inject(TokenAuthenticator) private readonly tokens: TokenAuthenticator,
    private readonly keys: ApiKeyService,
  ) {}

  async authenticate(request: HeaderBag): Promise<PartnerCaller> {
    const authorization = request.headers['authorization'];
    const apiKey = request.headers[API_KEY_HEADER];
    if (authorization !== undefined && apiKey !== undefined) {
      outcomes.inc({ credential: 'both', result: 'ambiguous' });
      throw problem('unauthorized', { detail: 'Send one credential: an access token or an API key, not both.', headers: { 'www-authenticate': BEARER_CHALLENGE } });
    }
    if (apiKey !== undefined) return this.fromApiKey(apiKey);
    if (authorization !== undefined) return this.fromToken(authorization, request);
    outcomes.inc({ credential: 'none', result: 'missing' });
    throw problem('unauthorized', {
      detail: `This API needs an OAuth 2.0 access token (client credentials) or an API key in the ${API_KEY_HEADER_NAME} header.`,
      headers: { 'www-authenticate': BEARER_CHALLENGE },
    });
  }

  private async fromApiKey(header: string | string[]): Promise<PartnerCaller> {
    let verification;
    try {
      verification = await this.keys.verify(typeof header === 'string' ? header.trim() : '');
    } catch (error) {
      if (!(error instanceof ApiKeyStoreError)) throw error;
      outcomes.inc({ credential: 'api-key', result: 'store-unavailable' });
      throw problem('dependency-unavailable', { detail: 'API keys cannot be checked right now; retry shortly.', headers: { 'retry-after': '1' }, cause: error });
    }
    if (!verification.ok) {
      outcomes.inc({ credential: 'api-key', result: verification.reason });
      throw problem('unauthorized', { detail: keyRejections[verification.reason], headers: { 'www-authenticate': KEY_CHALLENGE } });
    }
    outcomes.inc({ credential: 'api-key', result: 'ok' });
    const key = verification.key;
    return Object.freeze({ sub: key.partner, clientId: key.partner, tenant: key.tenant, scopes: key.scopes, credential: 'api-key', keyId: key.id });
  }

  private async fromToken(header: string | string[], request: HeaderBag): Promise<PartnerCaller> {
    let identity;
    try {
      identity = await this.tokens.authenticate(extractBearerToken(header), request);
    } catch (error) {
      outcomes.inc({ credential: 'oauth', result: isTokenError(error) ? error.reason : 'error' });
      throw authProblem(error) ?? error;
    }
    // Client credentials of a partner client: the subject is the client and it has a tenant.
    // A user's token (sub = user, client_id = an app) is for the web and mobile BFFs.
    if (identity.tenant === undefined || identity.clientId === undefined || identity.sub !== identity.clientId) {
      outcomes.inc({ credential: 'oauth', result: 'not-a-partner' });
      throw problem('forbidden', { detail: 'This API serves partner clients: use a client-credentials token of your partner client.' });
    }
    outcomes.inc({ credential: 'oauth', result: 'ok' });
    return Object.freeze({ sub: identity.sub, clientId: identity.clientId, tenant: identity.tenant, scopes: identity.scopes, credential: 'oauth', identity });
  }
}
