import * as client from 'openid-client';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { GrantedTokens, OidcClientOptions, SignIn, AuthorizationChecks } from './oidc-client.options';

/** The provider refused a grant for good (`invalid_grant`: revoked, expired, or the IdP session ended). */
export function isGrantRejected(error: unknown): boolean {
  return error instanceof client.ResponseBodyError && error.error === 'invalid_grant';
}

/** Fresh values for one sign-in: state, nonce and a PKCE verifier. */
export function newAuthorizationSecrets(): { state: string; nonce: string; codeVerifier: string } {
  return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
}

function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

const defaultPort = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');

/** Sends URLs under the issuer's origin to the back-channel origin instead (path and query kept). */
function backchannelRewrite(issuer: string, backchannelUrl: string | undefined): (url: string) => string {
  if (!backchannelUrl) return (url) => url;
  const published = new URL(issuer).origin;
  const internal = new URL(backchannelUrl).origin;
  return (url) => (url === published || url.startsWith(`${published}/`) ? internal + url.slice(published.length) : url);
}

/**
 * A fetch that opens its connections for the issuer's host and port to the back-channel
 * address instead (as `curl --connect-to` does). URLs and the Host header stay as published:
 * providers such as oidc-provider build their endpoint URLs from the Host they are asked on,
 * and the browser must be sent to the published ones.
 */
function backchannelFetch(issuer: string, backchannelUrl: string): client.CustomFetch {
  const published = new URL(issuer);
  const internal = new URL(backchannelUrl);
  const connect = buildConnector({});
  const dispatcher = new Agent({
    connect: (options, callback) => {
      const toPublished = options.hostname === published.hostname && (options.port || defaultPort(published)) === defaultPort(published);
      connect(toPublished ? { ...options, hostname: internal.hostname, port: defaultPort(internal) } : options, callback);
    },
  });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}

/**
 * bff-web as a confidential OpenID Connect client (openid-client): authorization code with
 * PKCE S256, state and nonce; ID tokens validated including their signature (the
 * provider's JWKS); client_secret_basic at the token and revocation endpoints.
 *
 * Discovery is lazy and retried: bff-web starts (and serves sessions it already has) while
 * the provider is still starting or briefly away.
 */
export class OidcClient {
  readonly options: Readonly<Omit<Required<OidcClientOptions>, 'backchannelUrl'>> & { readonly backchannelUrl?: string };
  private discovered: Promise<client.Configuration> | undefined;
  /** Rewrites a provider URL for server-to-server use (identity without a back-channel URL). */
  private readonly backchannel: (url: string) => string;
  private readonly viaBackchannel: client.CustomFetch | undefined;

  constructor(options: OidcClientOptions) {
    const scopes = options.scopes.includes('openid') ? options.scopes : ['openid', ...options.scopes];
    this.options = Object.freeze({ timeoutMs: 5_000, allowHttp: false, ...options, scopes: Object.freeze([...scopes]) });
    this.backchannel = backchannelRewrite(options.issuer, options.backchannelUrl);
    this.viaBackchannel = options.backchannelUrl ? backchannelFetch(options.issuer, options.backchannelUrl) : undefined;
  }

  /** The provider's configuration (discovered once; a failure is retried on the next call). */
  configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const o = this.options;
      const viaBackchannel = this.viaBackchannel;
      const attempt = client
        .discovery(new URL(o.issuer), o.clientId, { client_secret: o.clientSecret }, client.ClientSecretBasic(o.clientSecret), {
          execute: o.allowHttp ? [client.allowInsecureRequests] : [],
          timeout: Math.ceil(o.timeoutMs / 1000),
          ...(viaBackchannel ? { [client.customFetch]: viaBackchannel } : {}),
        })
        .then((config) => {
          config.timeout = Math.ceil(o.timeoutMs / 1000);
          if (viaBackchannel) config[client.customFetch] = viaBackchannel;
          // Check ID token signatures although they come straight from the token endpoint:
          // in development that endpoint is plain HTTP, and the check is cheap.
          client.enableNonRepudiationChecks(config);
          return config;
        });
      attempt.catch(() => {
        if (this.discovered === attempt) this.discovered = undefined;
      });
      this.discovered = attempt;
    }
    return this.discovered;
  }

  /** Provider metadata the back-channel logout verifier needs. */
  async serverMetadata(): Promise<{ issuer: string; jwksUri: string; idTokenAlgorithms: string[] }> {
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) throw new Error('the provider publishes no jwks_uri');
    return { issuer: metadata.issuer, jwksUri: this.backchannel(metadata.jwks_uri), idTokenAlgorithms: metadata.id_token_signing_alg_values_supported ?? ['RS256'] };
  }

  /** Where to send the browser to sign in. */
  async authorizationUrl(checks: AuthorizationChecks): Promise<URL> {
    const config = await this.configuration();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: checks.redirectUri,
      scope: this.options.scopes.join(' '),
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
  }

  /**
   * Validates the authorization response (state, `iss` when the provider sends it, errors)
   * and redeems the code with the PKCE verifier; validates the ID token (signature, iss,
   * aud, exp, nonce).
   */
  async signIn(callbackQuery: URLSearchParams, checks: AuthorizationChecks): Promise<SignIn> {
    const config = await this.configuration();
    const currentUrl = new URL(checks.redirectUri);
    currentUrl.search = callbackQuery.toString();
    const issuedAt = Date.now();
    const response = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const claims = response.claims();
    if (!claims) throw new Error('the token response carries no ID token');
    const extra = claims as unknown as Record<string, unknown>;
    const user = {
      sub: claims.sub,
      sid: stringClaim(extra, 'sid'),
      tenant: stringClaim(extra, 'tenant'),
      name: stringClaim(extra, 'name'),
      email: stringClaim(extra, 'email'),
    };
    return { user: dropUndefined(user), tokens: grantedTokens(response, issuedAt) };
  }

  /**
   * A refresh token grant; throws the provider's error (see isGrantRejected). Bounded by the
   * configured timeout (openid-client takes no per-call signal: callers that must stop
   * waiting earlier race it).
   */
  async refresh(refreshToken: string): Promise<GrantedTokens> {
    const config = await this.configuration();
    const issuedAt = Date.now();
    return grantedTokens(await client.refreshTokenGrant(config, refreshToken), issuedAt);
  }

  /** Revokes a refresh token at logout (best effort: the caller bounds and ignores failures). */
  async revoke(refreshToken: string): Promise<void> {
    const config = await this.configuration();
    await client.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
  }

  /**
   * RP-initiated logout URL. The client is named by `client_id` rather than an
   * `id_token_hint`: the hint would put the ID token into a URL the browser keeps
   * (history, Referer), and this BFF keeps tokens out of the browser.
   */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<URL | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(config, { client_id: this.options.clientId, post_logout_redirect_uri: postLogoutRedirectUri });
  }
}

function grantedTokens(response: client.TokenEndpointResponse, issuedAt: number): GrantedTokens {
  const expiresIn = typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : 300;
  return dropUndefined({
    accessToken: response.access_token,
    accessTokenIssuedAt: issuedAt,
    // Counted from before the request: the provider's clock started no later than that.
    accessTokenExpiresAt: issuedAt + expiresIn * 1000,
    refreshToken: response.refresh_token,
    scope: response.scope,
  });
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
