import { ConfigError, type ConfigProblem } from '@edge/config';

/** Every JWS algorithm this library can verify: asymmetric signatures only. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['RS256', 'ES256', 'PS256', 'EdDSA'];
/** Skew larger than this hides real clock problems and stretches every token's life. */
export const MAX_CLOCK_TOLERANCE_SEC = 60;
/** Claims every access token must carry, whatever the policy says. */
export const ALWAYS_REQUIRED_CLAIMS = ['exp', 'sub'] as const;

export interface JwksSettings {
  /** Bound on one JWKS fetch (discovery included), connect to last byte. Default 2000. */
  timeoutMs?: number;
  /** Least time between two refetches caused by unknown kids. Default 30000. */
  cooldownMs?: number;
  /** Least time between two attempts after a failed fetch. Default min(5000, cooldownMs). */
  failureCooldownMs?: number;
  /** Background refresh period; 0 turns it off. Default 600000 (10 min). */
  refreshIntervalMs?: number;
  /** Largest JWKS (or discovery) document accepted. Default 512 KiB. */
  maxBytes?: number;
}

export interface TokenCacheSettings {
  /** Bounded LRU of verified tokens. Default 10000. */
  maxEntries?: number;
  /** A cached verification is reused at most this long (and never past `exp`). Default 300000. */
  maxTtlMs?: number;
}

/** What a resource server accepts. Plain data, so it can come from config files or env. */
export interface AuthPolicy {
  issuer: string;
  /** The audience(s) this service accepts; a token must name at least one. */
  audience: string | readonly string[];
  /** JWKS location; without it the issuer's discovery document names it (fallback `${issuer}/jwks`). */
  jwksUri?: string;
  /** Allow-list; asymmetric algorithms only. Default RS256, ES256, PS256, EdDSA. */
  algorithms?: readonly string[];
  /** Allowed clock skew for exp/nbf, 0..60 s. Default 5. */
  clockToleranceSec?: number;
  /** Claims that must be present in addition to exp and sub. */
  requiredClaims?: readonly string[];
  /** Scopes every token must carry (403 insufficient_scope otherwise). */
  requiredScopes?: readonly string[];
  /** The claim naming the tenant. Default `tenant`. */
  tenantClaim?: string;
  jwks?: JwksSettings;
  /** `false` turns the verified-token cache off. */
  tokenCache?: TokenCacheSettings | false;
}

export interface ResolvedAuthPolicy {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly jwksUri: string | undefined;
  readonly algorithms: readonly AsymmetricAlgorithm[];
  readonly clockToleranceSec: number;
  readonly requiredClaims: readonly string[];
  readonly requiredScopes: readonly string[];
  readonly tenantClaim: string;
  readonly jwks: Readonly<Required<JwksSettings>>;
  readonly tokenCache: Readonly<Required<TokenCacheSettings>> | false;
}

const POLICY_KEYS = new Set<string>([
  'issuer',
  'audience',
  'jwksUri',
  'algorithms',
  'clockToleranceSec',
  'requiredClaims',
  'requiredScopes',
  'tenantClaim',
  'jwks',
  'tokenCache',
]);
const JWKS_KEYS = new Set<string>(['timeoutMs', 'cooldownMs', 'failureCooldownMs', 'refreshIntervalMs', 'maxBytes']);
const CACHE_KEYS = new Set<string>(['maxEntries', 'maxTtlMs']);
const RENAMED: Record<string, string> = {
  audiences: 'audience',
  clockTolerance: 'clockToleranceSec',
  jwks_uri: 'jwksUri',
  jwksUrl: 'jwksUri',
};

function isResolved(policy: AuthPolicy | ResolvedAuthPolicy): policy is ResolvedAuthPolicy {
  return Object.isFrozen(policy) && 'audiences' in policy;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function stringList(value: unknown, key: string, problems: ConfigProblem[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isNonEmptyString)) {
    problems.push({ key, message: 'must be a list of non-empty strings' });
    return [];
  }
  return [...value];
}

function httpUrl(value: unknown, key: string, problems: ConfigProblem[]): string | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = new URL(String(value));
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.toString();
  } catch {
    /* reported below */
  }
  problems.push({ key, message: 'must be an absolute http(s) URL' });
  return undefined;
}

function bounded(value: unknown, key: string, fallback: number, min: number, max: number, problems: ConfigProblem[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    problems.push({ key, message: `must be a number between ${min} and ${max}` });
    return fallback;
  }
  return value;
}

function unknownKeys(object: object, known: ReadonlySet<string>, prefix: string, problems: ConfigProblem[]): void {
  for (const key of Object.keys(object)) {
    if (known.has(key)) continue;
    const renamed = RENAMED[key];
    problems.push({ key: prefix + key, message: renamed ? `is not supported, use ${renamed}` : 'is not a known setting' });
  }
}

function algorithmList(value: unknown, problems: ConfigProblem[]): AsymmetricAlgorithm[] {
  if (value === undefined) return [...DEFAULT_ALGORITHMS];
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ key: 'algorithms', message: 'must be a non-empty list' });
    return [];
  }
  const allowed: AsymmetricAlgorithm[] = [];
  for (const alg of value as unknown[]) {
    const name = String(alg);
    if ((ASYMMETRIC_ALGORITHMS as readonly string[]).includes(name)) allowed.push(name as AsymmetricAlgorithm);
    else if (/^none$/i.test(name)) problems.push({ key: 'algorithms', message: `"${name}" (unsigned tokens) is never allowed` });
    else if (/^HS/i.test(name)) problems.push({ key: 'algorithms', message: `"${name}" is symmetric: a resource server must verify asymmetric signatures only` });
    else problems.push({ key: 'algorithms', message: `"${name}" is not supported (use ${ASYMMETRIC_ALGORITHMS.join(', ')})` });
  }
  return allowed;
}

/**
 * Validates an AuthPolicy once, reporting every problem together (ConfigError), and returns
 * a frozen policy with every default filled in. A resolved policy passes through unchanged.
 */
export function resolveAuthPolicy(policy: AuthPolicy | ResolvedAuthPolicy): ResolvedAuthPolicy {
  if (isResolved(policy)) return policy;
  const problems: ConfigProblem[] = [];
  if (typeof policy !== 'object' || policy === null) throw new ConfigError('auth policy', [{ key: '(policy)', message: 'must be an object' }]);
  unknownKeys(policy, POLICY_KEYS, '', problems);

  if (!isNonEmptyString(policy.issuer)) problems.push({ key: 'issuer', message: 'is required' });
  const audiences = typeof policy.audience === 'string' ? [policy.audience] : stringList(policy.audience, 'audience', problems);
  if (audiences.length === 0 || !audiences.every(isNonEmptyString)) problems.push({ key: 'audience', message: 'must name at least one audience' });

  const jwksInput = policy.jwks ?? {};
  unknownKeys(jwksInput, JWKS_KEYS, 'jwks.', problems);
  const cooldownMs = bounded(jwksInput.cooldownMs, 'jwks.cooldownMs', 30_000, 0, 3_600_000, problems);
  const refreshIntervalMs = bounded(jwksInput.refreshIntervalMs, 'jwks.refreshIntervalMs', 600_000, 0, 86_400_000, problems);
  if (refreshIntervalMs > 0 && refreshIntervalMs < 1000) problems.push({ key: 'jwks.refreshIntervalMs', message: 'must be 0 (off) or at least 1000' });

  let tokenCache: ResolvedAuthPolicy['tokenCache'] = false;
  if (policy.tokenCache !== false) {
    const cacheInput = policy.tokenCache ?? {};
    unknownKeys(cacheInput, CACHE_KEYS, 'tokenCache.', problems);
    tokenCache = Object.freeze({
      maxEntries: bounded(cacheInput.maxEntries, 'tokenCache.maxEntries', 10_000, 1, 1_000_000, problems),
      maxTtlMs: bounded(cacheInput.maxTtlMs, 'tokenCache.maxTtlMs', 300_000, 1, 86_400_000, problems),
    });
  }

  const clockToleranceSec = policy.clockToleranceSec === undefined ? 5 : policy.clockToleranceSec;
  if (typeof clockToleranceSec !== 'number' || !Number.isFinite(clockToleranceSec) || clockToleranceSec < 0 || clockToleranceSec > MAX_CLOCK_TOLERANCE_SEC) {
    problems.push({ key: 'clockToleranceSec', message: `must be between 0 and ${MAX_CLOCK_TOLERANCE_SEC} seconds` });
  }
  const tenantClaim = policy.tenantClaim ?? 'tenant';
  if (!isNonEmptyString(tenantClaim)) problems.push({ key: 'tenantClaim', message: 'must be a non-empty string' });

  const resolved: ResolvedAuthPolicy = {
    issuer: policy.issuer,
    audiences: Object.freeze(audiences),
    jwksUri: httpUrl(policy.jwksUri, 'jwksUri', problems),
    algorithms: Object.freeze(algorithmList(policy.algorithms, problems)),
    clockToleranceSec,
    requiredClaims: Object.freeze([...new Set([...ALWAYS_REQUIRED_CLAIMS, ...stringList(policy.requiredClaims, 'requiredClaims', problems)])]),
    requiredScopes: Object.freeze(stringList(policy.requiredScopes, 'requiredScopes', problems)),
    tenantClaim,
    jwks: Object.freeze({
      timeoutMs: bounded(jwksInput.timeoutMs, 'jwks.timeoutMs', 2000, 50, 30_000, problems),
      cooldownMs,
      failureCooldownMs: bounded(jwksInput.failureCooldownMs, 'jwks.failureCooldownMs', Math.min(5000, cooldownMs), 0, 3_600_000, problems),
      refreshIntervalMs,
      maxBytes: bounded(jwksInput.maxBytes, 'jwks.maxBytes', 512 * 1024, 1024, 16 * 1024 * 1024, problems),
    }),
    tokenCache,
  };
  if (problems.length > 0) throw new ConfigError('auth policy', problems);
  return Object.freeze(resolved);
}
