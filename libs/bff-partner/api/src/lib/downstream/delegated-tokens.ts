import { Logger } from '@nestjs/common';
import type { HttpClient } from '@edge/http-client';
import { isUpstreamError } from '@edge/http-client';
import { problem } from '@edge/problem-details';
import type { PartnerCaller } from '../auth/partner-caller';
import { PARTNER_DEPENDENCIES, type PartnerDependency } from './partner-dependencies';

/** The grant dev-idp offers the partner BFF for API-key traffic (apps/dev-idp partner-delegation). */
export const PARTNER_DELEGATION_GRANT = 'urn:edge:params:oauth:grant-type:partner-delegation';

export interface DelegationClientSettings {
  clientId: string;
  clientSecret: string;
  /** Refresh this long before expiry (or 10 % of the lifetime, whichever is smaller). Default 30 s. */
  refreshMarginMs?: number;
  /** Bounded cache (one entry per partner, tenant, dependency and scope set). Default 1000. */
  maxEntries?: number;
}

interface Cached {
  token: string;
  until: number;
}

interface TokenAnswer {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
}

const logger = new Logger('DelegatedTokens');

/**
 * Downstream tokens for API-key traffic. There is no partner token to exchange, so this BFF
 * asks the IdP, as itself, for a token of the dependency's audience on behalf of the partner
 * the key is bound to, in the key's tenant and with the key's scopes (those the dependency
 * understands). The IdP checks that this client may act for that partner and that the tenant
 * is the partner's own. Tokens are cached per (partner, tenant, dependency, scopes) until
 * shortly before expiry, one request in flight per entry.
 */
export class DelegatedTokens {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly authorization: string;
  private readonly margin: number;
  private readonly maxEntries: number;
  private tokenPath: Promise<string> | undefined;

  constructor(
    private readonly idp: HttpClient,
    settings: DelegationClientSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.authorization = `Basic ${Buffer.from(`${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`).toString('base64')}`;
    this.margin = settings.refreshMarginMs ?? 30_000;
    this.maxEntries = settings.maxEntries ?? 1000;
  }

  async authorizationFor(dependency: PartnerDependency, caller: PartnerCaller): Promise<string> {
    const target = PARTNER_DEPENDENCIES[dependency];
    const scopes = target.scopes.filter((s) => caller.scopes.has(s));
    if (scopes.length === 0) {
      throw problem('insufficient-scope', { detail: `This request needs the scope(s): ${target.scopes.join(' ')}.` });
    }
    const key = [caller.clientId, caller.tenant, target.resource, ...scopes].join('\n');
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return `Bearer ${cached.token}`;
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = this.request(key, caller, target.resource, scopes).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return `Bearer ${await flight}`;
  }

  private async request(key: string, caller: PartnerCaller, resource: string, scopes: readonly string[]): Promise<string> {
    const form = new URLSearchParams({ grant_type: PARTNER_DELEGATION_GRANT, partner: caller.clientId, tenant: caller.tenant, resource, scope: scopes.join(' ') });
    const started = this.now();
    let answer: TokenAnswer;
    try {
      const response = await this.idp.post<TokenAnswer>(await this.tokenEndpoint(), {
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: this.authorization },
      });
      answer = response.body ?? {};
    } catch (error) {
      throw this.failure(error);
    }
    if (typeof answer.access_token !== 'string' || (typeof answer.token_type === 'string' && answer.token_type.toLowerCase() !== 'bearer')) {
      throw problem('dependency-unavailable', { detail: 'The identity provider answered without a token.', headers: { 'retry-after': '1' } });
    }
    const lifetimeMs = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in * 1000 : 0;
    if (lifetimeMs > 0) {
      this.cache.delete(key);
      this.cache.set(key, { token: answer.access_token, until: started + lifetimeMs - Math.min(this.margin, lifetimeMs * 0.1) });
      while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    return answer.access_token;
  }

  /** The token endpoint's path at the IdP, from its discovery document (once; retried after a failure). */
  private tokenEndpoint(): Promise<string> {
    this.tokenPath ??= (async () => {
      const { body } = await this.idp.get<{ token_endpoint?: unknown }>('/.well-known/openid-configuration');
      const endpoint = body?.token_endpoint;
      if (typeof endpoint !== 'string') throw new Error('discovery document has no token_endpoint');
      // The client is confined to the issuer's origin and path: the endpoint must live there.
      const url = new URL(endpoint);
      const base = new URL(this.idp.options.baseUrl);
      const basePath = base.pathname.replace(/\/+$/, '');
      if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) throw new Error(`token_endpoint ${endpoint} is outside the issuer ${base.href}`);
      return url.pathname.slice(basePath.length);
    })().catch((error: unknown) => {
      this.tokenPath = undefined;
      throw error;
    });
    return this.tokenPath;
  }

  /** IdP down → 503; the IdP refusing this client or this partner is our misconfiguration → 502. */
  private failure(error: unknown): unknown {
    if (!isUpstreamError(error)) return error;
    const status = error.upstream?.status;
    const code = (error.upstream?.body as { error?: unknown } | undefined)?.error;
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      logger.error({ oauthError: typeof code === 'string' ? code : undefined, status }, 'the IdP refused a partner delegation: check the delegation_partners of this client');
      return problem('bad-gateway', { cause: error });
    }
    return problem('dependency-unavailable', { detail: 'The identity provider could not issue a token for a dependency of this request.', headers: { 'retry-after': '1' }, cause: error });
  }
}
