import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { StateStore } from '@edge/state';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Why a logout token was refused (for logs and metrics; never the token itself). */
export type LogoutTokenProblem =
  | 'malformed'
  | 'signature'
  | 'claims'
  | 'expired'
  | 'stale'
  | 'typ'
  | 'events'
  | 'nonce'
  | 'subject'
  | 'replayed';

export class LogoutTokenError extends Error {
  constructor(
    readonly problem: LogoutTokenProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LogoutTokenError';
  }
}

/** Whom a valid logout token logs out. */
export interface LogoutTarget {
  sub?: string;
  sid?: string;
  jti: string;
}

export interface LogoutTokenVerifierOptions {
  /** Issuer, JWKS location and signing algorithms, from the provider's metadata. */
  metadata: () => Promise<{ issuer: string; jwksUri: string; idTokenAlgorithms: string[] }>;
  clientId: string;
  /** Where `jti`s are remembered (shared by all instances when it is Redis). */
  state: StateStore;
  /** Tokens issued longer ago than this are refused (the replay memory covers the same window). Default 120 s. */
  maxAgeSeconds?: number;
  clockToleranceSeconds?: number;
  /** Key source override (tests); default: the provider's JWKS, fetched and cached by jose. */
  keys?: JWTVerifyGetKey;
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^Ed25519$/;

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.6: a logout token is accepted only when it is
 * a JWT signed by the provider (asymmetric algorithms only), for this client, recently
 * issued, of type logout+jwt when typed, with the back-channel logout event, without a
 * nonce, naming a sid and/or sub — and its `jti` was not seen before (replay), remembered
 * in the state store for as long as the token would be accepted at all.
 */
export class LogoutTokenVerifier {
  private readonly maxAgeSeconds: number;
  private readonly toleranceSeconds: number;
  private keys: JWTVerifyGetKey | undefined;
  private keysFor: string | undefined;

  constructor(private readonly options: LogoutTokenVerifierOptions) {
    this.maxAgeSeconds = options.maxAgeSeconds ?? 120;
    this.toleranceSeconds = options.clockToleranceSeconds ?? 5;
    this.keys = options.keys;
  }

  async verify(logoutToken: string | undefined): Promise<LogoutTarget> {
    if (typeof logoutToken !== 'string' || logoutToken.length === 0 || logoutToken.length > 16_384) {
      throw new LogoutTokenError('malformed', 'logout_token is missing or oversized');
    }
    const metadata = await this.options.metadata();
    const algorithms = metadata.idTokenAlgorithms.filter((a) => ASYMMETRIC.test(a));
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      const verified = await jwtVerify(logoutToken, this.keySource(metadata.jwksUri), {
        issuer: metadata.issuer,
        audience: this.options.clientId,
        algorithms: algorithms.length > 0 ? algorithms : ['RS256'],
        clockTolerance: this.toleranceSeconds,
        requiredClaims: ['iat', 'jti'],
      });
      payload = verified.payload;
      typ = verified.protectedHeader.typ;
    } catch (error) {
      throw classify(error);
    }
    if (typ !== undefined && typ.toLowerCase() !== 'logout+jwt' && typ.toLowerCase() !== 'application/logout+jwt') {
      throw new LogoutTokenError('typ', `typ ${typ} is not logout+jwt`);
    }
    const now = Math.floor(Date.now() / 1000);
    const iat = payload.iat as number;
    if (iat < now - this.maxAgeSeconds - this.toleranceSeconds || iat > now + this.toleranceSeconds) {
      throw new LogoutTokenError('stale', 'iat is outside the accepted window');
    }
    const events = payload['events'];
    const event = typeof events === 'object' && events !== null ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT] : undefined;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new LogoutTokenError('events', 'events lacks the back-channel logout event');
    }
    if ('nonce' in payload) throw new LogoutTokenError('nonce', 'a logout token must not carry a nonce');
    const sub = typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : undefined;
    const sid = typeof payload['sid'] === 'string' && payload['sid'].length > 0 ? payload['sid'] : undefined;
    if (!sub && !sid) throw new LogoutTokenError('subject', 'a logout token names a sid or a sub');
    const jti = payload.jti as string;
    const replayKey = `logout-jti:${createHash('sha256').update(metadata.issuer).update('\0').update(jti).digest('base64url')}`;
    const windowMs = (this.maxAgeSeconds + 2 * this.toleranceSeconds) * 1000;
    if (!(await this.options.state.setIfAbsent(replayKey, '1', windowMs))) {
      throw new LogoutTokenError('replayed', 'this logout token was already used');
    }
    return { ...(sub ? { sub } : {}), ...(sid ? { sid } : {}), jti };
  }

  private keySource(jwksUri: string): JWTVerifyGetKey {
    if (!this.keys || (this.keysFor !== undefined && this.keysFor !== jwksUri)) {
      this.keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      this.keysFor = jwksUri;
    }
    return this.keys;
  }
}

function classify(error: unknown): LogoutTokenError {
  if (error instanceof errors.JWTExpired) return new LogoutTokenError('expired', 'the logout token has expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) return new LogoutTokenError('claims', `claim check failed: ${error.claim}`, { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JOSEAlgNotAllowed) {
    return new LogoutTokenError('signature', 'the logout token is not signed by the provider', { cause: error });
  }
  return new LogoutTokenError('malformed', 'the logout token is not a valid JWT', { cause: error });
}
