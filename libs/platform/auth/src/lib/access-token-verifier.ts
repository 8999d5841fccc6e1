import { errors, jwtVerify } from 'jose';
import { resolveAuthPolicy, type AuthPolicy, type ResolvedAuthPolicy } from './auth-policy';
import { extractBearerToken } from './bearer-token';
import { assertScopes, identityFromClaims, type Identity } from './identity';
import { JwksKeyStore, type JwksEvent } from './jwks-key-store';
import { TokenError, type TokenErrorReason } from './token-error';
import { inspectTokenHeader } from './token-header';
import { VerifiedTokenCache } from './verified-token-cache';

export interface AccessTokenVerifierOptions {
  /** Share one key store between verifiers of the same issuer (default: one of its own). */
  keyStore?: JwksKeyStore;
  onJwksEvent?: (event: JwksEvent) => void;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

/** Maps jose's errors to our reasons; anything unexpected fails closed as malformed. */
function reasonOf(error: unknown): TokenErrorReason {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return 'missing-claim';
    if (error.claim === 'nbf') return 'not-yet-valid';
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'aud') return 'wrong-audience';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'alg-not-allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown-key';
  return 'malformed';
}

/**
 * Verifies access tokens for one resource server: structure and `alg` first (no crypto for
 * junk), the key from the JWKS cache, the signature and registered claims with jose, then
 * the identity. Verified tokens are cached (bounded, never past `exp`), so a repeated token
 * costs a hash and a map lookup instead of a signature check.
 */
export class AccessTokenVerifier {
  readonly policy: ResolvedAuthPolicy;
  readonly keyStore: JwksKeyStore;
  private readonly cache: VerifiedTokenCache | undefined;
  private readonly now: () => number;
  private readonly joseOptions: Parameters<typeof jwtVerify>[2];

  constructor(policy: AuthPolicy | ResolvedAuthPolicy, options: AccessTokenVerifierOptions = {}) {
    this.policy = resolveAuthPolicy(policy);
    this.now = options.now ?? Date.now;
    const { jwks } = this.policy;
    this.keyStore =
      options.keyStore ??
      new JwksKeyStore({
        ...(this.policy.jwksUri ? { jwksUri: this.policy.jwksUri } : { issuer: this.policy.issuer }),
        ...jwks,
        ...(options.onJwksEvent ? { onEvent: options.onJwksEvent } : {}),
      });
    this.cache = this.policy.tokenCache ? new VerifiedTokenCache(this.policy.tokenCache.maxEntries, this.policy.tokenCache.maxTtlMs, this.now) : undefined;
    this.joseOptions = {
      issuer: this.policy.issuer,
      audience: [...this.policy.audiences],
      algorithms: [...this.policy.algorithms],
      clockTolerance: this.policy.clockToleranceSec,
      requiredClaims: [...this.policy.requiredClaims],
    };
  }

  /** Starts the key store (first fetch in the background, periodic refresh). */
  start(): void {
    this.keyStore.start();
  }

  close(): void {
    this.keyStore.close();
  }

  /** Verifies a raw token; throws TokenError with the reason. */
  async verify(token: string): Promise<Identity> {
    const cached = this.cache?.get(token);
    if (cached) return cached;
    const header = inspectTokenHeader(token, this.policy.algorithms);
    const { key } = await this.keyStore.getKey(header.kid, header.alg);
    let claims: Record<string, unknown>;
    try {
      const options = withClock(this.joseOptions, this.now);
      ({ payload: claims } = await jwtVerify(token, key, options));
    } catch (error) {
      throw new TokenError(reasonOf(error), { cause: error });
    }
    const identity = identityFromClaims(claims, token, this.policy);
    this.cache?.set(token, identity);
    return identity;
  }

  /** Verifies the token of an Authorization header (`missing` when there is none). */
  verifyAuthorization(header: string | readonly string[] | undefined): Promise<Identity> {
    let token: string;
    try {
      token = extractBearerToken(header);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.verify(token);
  }

  /**
   * `authorize` without a promise for a token this verifier already verified (an edge sees
   * the same tokens again and again): its cached identity, scopes checked (throws
   * InsufficientScopeError). Undefined when the token needs full verification: call
   * `authorize`. Only `Bearer <token>` exactly is looked up here; other spellings take the
   * full path, which validates the header first. A token found in the cache passed that
   * validation when it was verified.
   */
  authorizeCached(header: string | readonly string[] | undefined, scopes: readonly string[] = []): Identity | undefined {
    if (!this.cache || typeof header !== 'string' || !header.startsWith('Bearer ')) return undefined;
    const identity = this.cache.get(header.slice(7));
    if (identity) this.assertGranted(identity, scopes);
    return identity;
  }

  /**
   * Verify + authorize: the policy's required scopes and `scopes` must all be granted
   * (InsufficientScopeError otherwise). Use authProblem() to turn either error into a response.
   */
  async authorize(header: string | readonly string[] | undefined, scopes: readonly string[] = []): Promise<Identity> {
    const identity = await this.verifyAuthorization(header);
    this.assertGranted(identity, scopes);
    return identity;
  }

  /** The policy's required scopes and `scopes` must all be granted (no array when the policy requires none). */
  private assertGranted(identity: Identity, scopes: readonly string[]): void {
    assertScopes(identity, this.policy.requiredScopes.length === 0 ? scopes : [...this.policy.requiredScopes, ...scopes]);
  }
}

function withClock(options: Parameters<typeof jwtVerify>[2], now: () => number): Parameters<typeof jwtVerify>[2] {
  return now === Date.now ? options : { ...options, currentDate: new Date(now()) };
}
