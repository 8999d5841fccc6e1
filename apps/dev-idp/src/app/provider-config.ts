import type { AccessToken, Client, ClientCredentials, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { devUsers, findAccount } from './accounts';
import { devClients, type ClientSettings } from './clients';
import { API_SCOPES, EDGE_API, resourceByIndicator, toResourceServerInfo } from './resource-servers';
import type { SigningKeys } from './signing-keys';
import { DELEGATION_GTY } from './partner-delegation.grant';
import { EXCHANGE_GTY, type ExchangedClaims } from './token-exchange.grant';
import { errorPage, logoutPage, signedOutPage } from './views';
import { errors } from 'oidc-provider';

export interface ProviderConfigOptions extends ClientSettings {
  ACCESS_TOKEN_TTL_SECONDS: number;
  keys: SigningKeys;
  /** Signs oidc-provider's cookies; fresh per start (sessions do not survive restarts anyway). */
  cookieKeys: string[];
}

const DAY = 24 * 60 * 60;

/** Tokens minted by our own grants carry their claims in `extra` (tenant, client_id, act). */
const CARRIED_CLAIMS_GTYS = new Set([EXCHANGE_GTY, DELEGATION_GTY]);

function clientTenant(client: Client | undefined): string | undefined {
  const tenant = (client as unknown as { tenant?: unknown } | undefined)?.tenant;
  return typeof tenant === 'string' ? tenant : undefined;
}

/** The extra claims of every access token: the tenant (user's or client's), or what an exchange carried over. */
export function extraTokenClaims(_ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials) {
  if (token.kind === 'AccessToken' && token.gty !== undefined && CARRIED_CLAIMS_GTYS.has(token.gty)) return token.extra;
  const tenant = token.kind === 'AccessToken' ? devUsers.get(token.accountId)?.tenant : clientTenant(token.client);
  return tenant === undefined ? undefined : { tenant };
}

/**
 * oidc-provider 9 configured for DESIGN.md §3: the dev users and clients, JWT access tokens
 * per resource indicator (edge-api unless the client names another), PKCE everywhere,
 * refresh tokens, client credentials, revocation, introspection, RP-initiated and
 * back-channel logout. Interactions are served by interactions.ts.
 */
export function providerConfiguration(options: ProviderConfigOptions): Configuration {
  const ttl = options.ACCESS_TOKEN_TTL_SECONDS;
  return {
    clients: devClients(options),
    extraClientMetadata: { properties: ['tenant', 'delegation_partners'] },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    responseTypes: ['code'],
    jwks: options.keys.privateJwks,
    cookies: {
      keys: options.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    findAccount,
    // API scopes are listed as well, so that a client's `scope` metadata limits them
    // (a partner asking for profile:read gets invalid_scope instead of silently less).
    scopes: ['openid', 'offline_access', ...API_SCOPES],
    claims: {
      openid: ['sub', 'tenant', 'name', 'email', 'preferred_username'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      acr: null,
      sid: null,
      auth_time: null,
      iss: null,
    },
    // ID tokens carry the user's claims even though an access token is issued alongside.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Public clients see and revoke only their own tokens; confidential ones (BFFs) may
      // introspect any; nobody revokes another client's tokens (RFC 7009 answers 200 anyway).
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      // Every access token is a JWT for an API audience, so no token could call userinfo:
      // ID tokens carry the claims instead.
      userinfo: { enabled: false },
      // Bearer tokens only: the edge and the domain services verify plain JWTs.
      dPoP: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = signedOutPage(ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId);
        },
      },
      resourceIndicators: {
        enabled: true,
        // A client that names no resource gets an edge-api token (DESIGN.md §3).
        defaultResource: (_ctx, _client, oneOf) => {
          if (!oneOf) return EDGE_API;
          return oneOf.includes(EDGE_API) ? EDGE_API : oneOf;
        },
        // Codes and refresh tokens keep yielding tokens for the resource they were granted
        // for, even with `openid` in scope (oidc-provider would otherwise mint userinfo tokens).
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          const resource = resourceByIndicator(indicator);
          if (!resource) throw new errors.InvalidTarget(`unknown resource indicator ${indicator}`);
          return toResourceServerInfo(resource, ttl);
        },
      },
    },
    extraTokenClaims,
    formats: {
      customizers: {
        // An exchanged (or delegated) token names the client the user (or partner)
        // authorised, not the BFF: the BFF appears as the actor (`act`).
        jwt: (_ctx, token, jwt) => {
          if (token.kind === 'AccessToken' && token.gty !== undefined && CARRIED_CLAIMS_GTYS.has(token.gty)) {
            jwt.payload['client_id'] = (token.extra as unknown as ExchangedClaims).client_id;
          }
        },
      },
    },
    // Refresh tokens for every client allowed the grant, whether or not it asked for
    // offline_access (oidc-provider only keeps offline_access with prompt=consent).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Browser sessions end web refresh tokens; native apps and offline_access outlive them.
    expiresWithSession: (ctx, code) => !code.scopes.has('offline_access') && ctx.oidc.client?.applicationType !== 'native',
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: DAY,
      Interaction: 15 * 60,
      Session: DAY,
      Grant: DAY,
    },
    // oidc-provider blocks outgoing requests to loopback and private addresses (SSRF
    // protection); back-channel logout goes to BFFs that live exactly there in development.
    // Only statically configured URIs are fetched (no dynamic registration).
    fetch: (url, init) => {
      const { dispatcher: _ssrfGuard, ...rest } = init as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error), out.error_description === undefined ? undefined : String(out.error_description));
    },
  };
}
