import type { ResolvedAuthPolicy } from './auth-policy';
import { InsufficientScopeError, TokenError } from './token-error';

/** The caller as a validated access token describes it. */
export interface Identity {
  /** Subject: a user id, or the client id for client-credentials tokens. */
  readonly sub: string;
  readonly tenant?: string;
  /** `client_id` (RFC 9068), falling back to `azp`. */
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
  /** The raw token, for forwarding or exchange. Not enumerable: JSON and loggers skip it. */
  readonly token: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds of `exp`. */
  readonly expiresAt: number;
}

/** `scope` (space-separated string, RFC 9068) or `scp` (array or string, some IdPs). */
export function scopesOf(claims: Readonly<Record<string, unknown>>): Set<string> {
  const raw = claims['scope'] ?? claims['scp'];
  const list = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
  return new Set(list.filter((s) => s.length > 0));
}

/**
 * Builds the Identity from verified claims, enforcing what both verification engines
 * must agree on: required claims present, `exp` and `sub` well-typed, tenant a string.
 */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>, token: string, policy: ResolvedAuthPolicy): Identity {
  for (const name of policy.requiredClaims) {
    if (claims[name] === undefined || claims[name] === null) throw new TokenError('missing-claim');
  }
  const { exp, sub } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError('malformed');
  if (typeof sub !== 'string' || sub.length === 0) throw new TokenError('malformed');
  const tenant = claims[policy.tenantClaim];
  if (tenant !== undefined && (typeof tenant !== 'string' || tenant.length === 0)) throw new TokenError('malformed');
  const clientId = typeof claims['client_id'] === 'string' ? claims['client_id'] : typeof claims['azp'] === 'string' ? claims['azp'] : undefined;
  const identity: Omit<Identity, 'token'> & { token?: string } = {
    sub,
    ...(tenant !== undefined ? { tenant } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    scopes: scopesOf(claims),
    claims: Object.freeze({ ...claims }),
    expiresAt: exp * 1000,
  };
  Object.defineProperty(identity, 'token', { value: token, enumerable: false });
  return Object.freeze(identity) as Identity;
}

export function missingScopes(identity: Pick<Identity, 'scopes'>, required: Iterable<string>): string[] {
  const missing: string[] = [];
  for (const scope of required) if (!identity.scopes.has(scope)) missing.push(scope);
  return missing;
}

/** Throws InsufficientScopeError (403) unless every required scope was granted. */
export function assertScopes(identity: Pick<Identity, 'scopes'>, required: readonly string[]): void {
  if (required.length === 0) return;
  const missing = missingScopes(identity, required);
  if (missing.length > 0) throw new InsufficientScopeError(required, missing);
}
