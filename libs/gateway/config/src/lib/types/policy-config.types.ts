import type { HttpMethod } from './cluster-config.types';

/** Named policies, one map per kind; routes reference them by name. */
export interface PoliciesConfig {
  auth?: Record<string, AuthPolicyConfig>;
  rateLimits?: Record<string, RateLimitPolicyConfig>;
  cache?: Record<string, CachePolicyConfig>;
  cors?: Record<string, CorsPolicyConfig>;
  ipRules?: Record<string, IpRulesPolicyConfig>;
  securityHeaders?: Record<string, SecurityHeadersPolicyConfig>;
  transforms?: Record<string, TransformsPolicyConfig>;
  requestRules?: Record<string, RequestRulesPolicyConfig>;
  compression?: Record<string, CompressionPolicyConfig>;
}

// ---------------------------------------------------------------- auth

/** `{ anonymous: true }` (an explicit "public" decision) or a JWT policy. */
export type AuthPolicyConfig = AnonymousAuthPolicyConfig | JwtAuthPolicyConfig;

export interface AnonymousAuthPolicyConfig {
  anonymous: true;
}

export type JwtAlgorithm =
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

export interface JwtAuthPolicyConfig {
  anonymous?: false;
  /** Exact `iss`. */
  issuer: string;
  /** Accepted `aud` values (any one). */
  audiences: string[];
  /** Omitted: discovered from `<issuer>/.well-known/openid-configuration` at start-up. */
  jwksUri?: string;
  /** Asymmetric algorithms only (no HS*, no none). */
  algorithms?: JwtAlgorithm[];
  /** Allowed clock skew for exp/nbf, ≤ 60 (default 5). */
  clockToleranceSec?: number;
  /** Claims that must be present; `exp` is always required. */
  requiredClaims?: string[];
  /** Claim carrying the tenant (needed for tenant rate limits and tenant cache keys). */
  tenantClaim?: string;
  /** Claim carrying the OAuth client id (rate limit key `client`). */
  clientIdClaim?: string;
  /** Claim carrying the scopes (space separated string or array). */
  scopeClaim?: string;
  /** Forward the validated token as `Authorization` (default true). */
  forwardToken?: boolean;
  /** Gateway-set identity headers (never forgeable: always stripped from clients first). */
  identityHeaders?: { user?: string; tenant?: string };
  /**
   * Also let requests *without* a bearer token through when they carry this API key header,
   * untouched, for the upstream to validate (the gateway owns no key store). A request with a
   * bearer token is always validated; a request with neither gets 401.
   */
  apiKey?: { header?: string };
  /** Named like @edge/auth's JwksSettings, which the runtime maps onto. */
  jwks?: {
    /** Bound on one JWKS (or discovery) fetch; an unknown `kid` that cannot be fetched → 401 (fail closed). */
    timeoutMs?: number;
    /** At most one refetch caused by unknown `kid`s per this interval (no refetch storm). */
    cooldownMs?: number;
    /** Background refresh of the key set (rotation without restart). */
    refreshIntervalMs?: number;
  };
}

// ---------------------------------------------------------------- rate limits

/** ip: real client IP (trusted proxies only); user: `sub`; tenant: tenant claim; client: OAuth client id; apiKey: hash of the API key. */
export type RateLimitKey = 'ip' | 'user' | 'tenant' | 'client' | 'apiKey';

export interface RateLimitPolicyConfig {
  /** One bucket per distinct combination of these parts. */
  keyBy: RateLimitKey[];
  /** Short window: `limit` requests per `windowMs` (both or neither). */
  limit?: number;
  windowMs?: number;
  algorithm?: 'sliding-window' | 'token-bucket';
  /** Long quotas, calendar periods in UTC. */
  quotas?: { limit: number; period: 'day' | 'month' }[];
  /** auto: Redis when REDIS_URL is set, memory otherwise; redis: refuse to start without it. */
  store?: 'auto' | 'memory' | 'redis';
  /** When the store is unreachable: open (allow, count a warning metric) or closed (503). */
  onStoreFailure?: 'open' | 'closed';
  /** A request lacking a key part (e.g. no tenant claim): limit it by IP instead, or skip this policy. */
  whenKeyMissing?: 'limit-by-ip' | 'skip';
}

// ---------------------------------------------------------------- cache

export interface CachePolicyConfig {
  /** shared: one entry for everyone (anonymous routes only); private-per-user: keyed by tenant + user; shared-per-tenant: keyed by tenant. */
  scope: 'shared' | 'private-per-user' | 'shared-per-tenant';
  /** Freshness for responses without `max-age`/`s-maxage`/`Expires` (0: not stored). */
  defaultTtlMs?: number;
  /** Upper bound of any freshness lifetime. */
  maxTtlMs?: number;
  staleWhileRevalidateMs?: number;
  staleIfErrorMs?: number;
  /** Statuses that may be stored. */
  statuses?: number[];
  maxEntryBytes?: number;
  maxTotalBytes?: number;
  store?: 'auto' | 'memory' | 'redis';
  /** Tags attached to every entry (purge by tag). */
  tags?: string[];
  /** A response header whose comma-separated values are added as tags (removed before the client sees it). */
  tagsHeader?: string;
}

// ---------------------------------------------------------------- edge hygiene

export interface CorsPolicyConfig {
  /** Exact origins (`https://app.example.com`) or `*` (never with credentials). */
  origins: string[];
  methods?: HttpMethod[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  credentials?: boolean;
  maxAgeSec?: number;
}

/** Deny wins; with a non-empty `allow`, only those addresses pass. CIDR or single address, v4 and v6. */
export interface IpRulesPolicyConfig {
  allow?: string[];
  deny?: string[];
}

export interface SecurityHeadersPolicyConfig {
  /** Sent on TLS responses only. */
  hsts?: { enabled?: boolean; maxAgeSec?: number; includeSubDomains?: boolean; preload?: boolean };
  /** `X-Content-Type-Options: nosniff`. */
  noSniff?: boolean;
  /** CSP `frame-ancestors` sources (e.g. `'none'`); empty: header not set. */
  frameAncestors?: string[];
  referrerPolicy?: ReferrerPolicy;
  crossOriginResourcePolicy?: 'same-origin' | 'same-site' | 'cross-origin';
}

export type ReferrerPolicy =
  | 'no-referrer' | 'no-referrer-when-downgrade' | 'origin' | 'origin-when-cross-origin'
  | 'same-origin' | 'strict-origin' | 'strict-origin-when-cross-origin' | 'unsafe-url';

export interface CompressionPolicyConfig {
  encodings?: ('br' | 'gzip')[];
  /** Responses smaller than this are sent as is. */
  minBytes?: number;
  /** Content types never compressed, in addition to the built-in already-compressed ones (`type/*` allowed). */
  excludeTypes?: string[];
}

// ---------------------------------------------------------------- transformations

/** Header operations; names case-insensitive. add appends a value, set replaces, rename moves, remove drops. */
export interface HeaderOpsConfig {
  add?: Record<string, string>;
  set?: Record<string, string>;
  rename?: Record<string, string>;
  remove?: string[];
}

export interface TransformsPolicyConfig {
  request?: HeaderOpsConfig;
  response?: HeaderOpsConfig & {
    /** Response header name patterns removed (`x-internal-*`, `server`, `x-powered-by`). */
    strip?: string[];
  };
  /** Remove fields (by name, at any depth) from JSON responses, within a bounded buffer. */
  jsonResponse?: { removeFields: string[]; maxBufferBytes?: number };
}

export type DenyMethod = HttpMethod | 'TRACE' | 'CONNECT';

/** A request matching every condition of a rule is denied (403). */
export interface RequestDenyRuleConfig {
  methods?: DenyMethod[];
  /** Regular expression tested against the normalised path. */
  path?: string;
  /** Regular expression tested against the raw query string (without `?`) and its decoded form. */
  query?: string;
  /** The header must be present and, with `pattern`, match it. */
  header?: { name: string; pattern?: string };
  ignoreCase?: boolean;
  /** Shown in logs (never to the client). */
  reason?: string;
}

export interface RequestRulesPolicyConfig {
  deny: RequestDenyRuleConfig[];
}
