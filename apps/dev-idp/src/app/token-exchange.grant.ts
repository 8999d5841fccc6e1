import { errors, type Provider, type TokenEndpointGrantContext } from 'oidc-provider';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { TOKEN_EXCHANGE_GRANT } from './clients';
import { toResourceServerInfo } from './resource-servers';
import { ACCESS_TOKEN_TYPE, checkTokenTypes, exchangedScope, resolveTarget, type ExchangeRequest } from './token-exchange.policy';

/** `gty` recorded on tokens minted by the exchange (extraTokenClaims and the JWT customizer key on it). */
export const EXCHANGE_GTY = 'token_exchange';

const PARAMETERS = ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'requested_token_type', 'resource', 'audience', 'scope'];

export interface TokenExchangeOptions {
  issuer: string;
  /** Public keys of this IdP: subject tokens must be signed by them. */
  publicJwks: JSONWebKeySet;
  accessTokenTtlSeconds: number;
}

/** Claims an exchanged token carries over from its subject token (see provider-config.ts). */
export interface ExchangedClaims {
  tenant?: string;
  client_id: string;
  act: { sub: string; act?: unknown };
  [claim: string]: unknown;
}

interface SubjectToken extends JWTPayload {
  sub: string;
  exp: number;
  jti: string;
  scope?: string;
  client_id?: string;
  tenant?: string;
  act?: unknown;
}

/**
 * OAuth 2.0 Token Exchange (RFC 8693) for BFFs: an edge-api access token issued here (the
 * subject) becomes a token for one domain API, with the same subject and tenant, narrowed
 * scopes, no longer lifetime, and `act.sub` naming the exchanging client.
 */
export function registerTokenExchange(provider: Provider, options: TokenExchangeOptions): void {
  const keys = createLocalJWKSet(options.publicJwks);

  async function verifySubject(token: string): Promise<SubjectToken> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: 'edge-api',
        algorithms: ['RS256'],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'jti'],
      }));
    } catch (cause) {
      throw new errors.InvalidRequest('subject_token is not a valid, unexpired edge-api access token issued here', undefined, { cause });
    }
    // JWT access tokens are self-contained (oidc-provider does not store them), so there is
    // no revocation to consult: their short lifetime is what bounds them.
    return payload as SubjectToken;
  }

  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    async (ctx: TokenEndpointGrantContext<ExchangeRequest>) => {
      const { client, params } = ctx.oidc;
      // Public clients cannot keep a secret, so they may not act on someone's behalf.
      if (client.clientAuthMethod === 'none') {
        throw new errors.UnauthorizedClient('public clients may not use token exchange');
      }
      checkTokenTypes(params);
      const target = resolveTarget(params);
      const subject = await verifySubject(params.subject_token as string);
      const scope = exchangedScope(params.scope, subject.scope, target);

      const now = Math.floor(Date.now() / 1000);
      const expiresIn = Math.min(options.accessTokenTtlSeconds, subject.exp - now);
      if (expiresIn < 1) throw new errors.InvalidRequest('subject_token is about to expire');

      const extra: ExchangedClaims = {
        client_id: subject.client_id ?? subject.sub,
        act: subject.act === undefined ? { sub: client.clientId } : { sub: client.clientId, act: subject.act },
      };
      if (subject.tenant !== undefined) extra.tenant = subject.tenant;

      const token = new provider.AccessToken({
        accountId: subject.sub,
        client,
        gty: EXCHANGE_GTY,
        scope: scope.join(' '),
        // Pinned so that the token never outlives its subject, whatever second it is saved in.
        iat: now,
        exp: now + expiresIn,
        expiresIn,
        extra,
      } as unknown as ConstructorParameters<typeof provider.AccessToken>[0]);
      token.resourceServer = new provider.ResourceServer(target.indicator, toResourceServerInfo(target, options.accessTokenTtlSeconds));
      ctx.oidc.entity('AccessToken', token);
      const accessToken = await token.save();

      ctx.body = {
        access_token: accessToken,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: token.expiration,
        scope: token.scope,
      };
    },
    PARAMETERS,
  );
}
