import { problem, type ProblemException } from '@edge/problem-details';

/** Why a presented token was refused. Stable: callers and tests branch on it. */
export type TokenErrorReason =
  | 'missing'
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'alg-not-allowed'
  | 'unknown-key';

/** Client-safe descriptions: they say what is wrong, never echo the token or internals. */
const descriptions: Record<TokenErrorReason, string> = {
  missing: 'No access token was presented.',
  malformed: 'The access token is malformed.',
  'bad-signature': 'The access token signature is invalid.',
  expired: 'The access token has expired.',
  'not-yet-valid': 'The access token is not valid yet.',
  'wrong-issuer': 'The access token was not issued by a trusted issuer.',
  'wrong-audience': 'The access token is not meant for this service.',
  'missing-claim': 'The access token lacks a required claim.',
  'alg-not-allowed': 'The access token is signed with an algorithm this service does not accept.',
  'unknown-key': 'The access token is signed with a key this service does not know.',
};

export class TokenError extends Error {
  constructor(
    readonly reason: TokenErrorReason,
    options: { cause?: unknown } = {},
  ) {
    super(descriptions[reason], { cause: options.cause });
    this.name = 'TokenError';
  }
}

/** A valid token that lacks scopes the endpoint needs (403, not 401). */
export class InsufficientScopeError extends Error {
  constructor(
    readonly required: readonly string[],
    readonly missing: readonly string[],
  ) {
    super(`missing scope: ${missing.join(' ')}`);
    this.name = 'InsufficientScopeError';
  }
}

/**
 * The issuer's signing keys have never been loaded (the JWKS fetch failed): the token can be
 * neither accepted nor refused. 503, not 401 — a client told its token is invalid may throw
 * away a good token or log its user out because an IdP was slow for a moment.
 */
export class KeysUnavailableError extends Error {
  constructor(options: { cause?: unknown } = {}) {
    super("The token issuer's signing keys are not available.", { cause: options.cause });
    this.name = 'KeysUnavailableError';
  }
}

export function isTokenError(value: unknown): value is TokenError {
  return value instanceof TokenError;
}

export function isInsufficientScopeError(value: unknown): value is InsufficientScopeError {
  return value instanceof InsufficientScopeError;
}

/** 401 invalid-token with the RFC 6750 challenge. */
export function invalidTokenProblem(error: TokenError): ProblemException {
  const description = descriptions[error.reason];
  return problem('invalid-token', {
    detail: description,
    headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
    cause: error,
  });
}

/** 403 insufficient-scope naming the scopes the endpoint needs (RFC 6750 §3). */
export function insufficientScopeProblem(error: InsufficientScopeError): ProblemException {
  const scope = error.required.join(' ');
  return problem('insufficient-scope', {
    detail: `This request needs the scope(s): ${scope}.`,
    headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    cause: error,
  });
}

/** The problem for an authentication/authorization error, or undefined for anything else. */
export function authProblem(error: unknown): ProblemException | undefined {
  if (isTokenError(error)) return invalidTokenProblem(error);
  if (error instanceof KeysUnavailableError) {
    return problem('dependency-unavailable', { detail: 'The access token cannot be checked right now; retry shortly.', headers: { 'retry-after': '1' }, cause: error });
  }
  if (isInsufficientScopeError(error)) return insufficientScopeProblem(error);
  return undefined;
}
