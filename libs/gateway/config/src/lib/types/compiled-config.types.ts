/**
 * The runtime model: what `compileGatewayConfig` produces from a valid file. Everything is
 * resolved up front — defaults applied, names replaced by the policy/cluster objects, patterns
 * and CIDRs precompiled into functions — and deeply frozen, so a reload builds a new model and
 * swaps one reference (YARP's model). Collections are frozen arrays and null-prototype records
 * (never Map/Set, which freezing does not protect). Optional features are `null` when off.
 */
import type { CidrSet } from '../cidr';
import type { HeaderNameMatcher } from '../header-patterns';
import type { ClusterKind, HttpMethod, LoadBalancing, RetryCondition } from './cluster-config.types';
import type { GatewayConfigFile } from './gateway-config.types';
import type { DenyMethod, JwtAlgorithm, RateLimitKey } from './policy-config.types';
import type { PartPolicy } from './route-config.types';

export interface CompiledGatewayConfig {
  /** sha256 (hex) of the canonical JSON of the validated file: same content → same version. */
  readonly version: string;
  /** The validated file as read (after `${ENV}` expansion), frozen; holds no secrets by design. */
  readonly source: GatewayConfigFile;
  readonly server: CompiledServer;
  readonly clusters: Readonly<Record<string, CompiledCluster>>;
  readonly policies: CompiledPolicies;
  /** Routes in match order (see RouteMatcher); `route.index` is the position in the file. */
  readonly routes: readonly CompiledRoute[];
  readonly matcher: RouteMatcher;
  readonly openapi: CompiledOpenApi | null;
  /** Exact paths the gateway answers itself before routing (/healthz, /readyz, /metrics, portal). */
  readonly reservedPaths: readonly string[];
}

// ---------------------------------------------------------------- server

export interface CompiledServer {
  readonly http: { readonly host: string; readonly port: number };
  /** null when no cert/key is configured. */
  readonly https: { readonly host: string; readonly port: number; readonly certFile: string; readonly keyFile: string; readonly http2: boolean } | null;
  readonly trustedProxies: CidrSet;
  /** server.pathParameters: forward. */
  readonly allowPathParameters: boolean;
  readonly limits: {
    readonly maxHeaderBytes: number;
    readonly maxBodyBytes: number;
    readonly defaultRouteTimeoutMs: number;
    readonly maxAggregateParts: number;
  };
  /** Client request headers to drop: configured patterns + every auth policy's identity header. */
  readonly stripRequestHeaders: HeaderNameMatcher;
  readonly admin: CompiledAdmin | null;
  readonly tokenExchange: { readonly tokenEndpoint: string; readonly clientId: string; readonly clientSecretEnv: string } | null;
}

export interface CompiledAdmin {
  readonly basePath: string;
  readonly auth: { readonly kind: 'jwt'; readonly policy: CompiledJwtAuthPolicy; readonly scopes: readonly string[] } | { readonly kind: 'static-token'; readonly tokenEnv: string };
  readonly ipRules: CompiledIpRulesPolicy | null;
}

// ---------------------------------------------------------------- clusters

export interface CompiledCluster {
  readonly id: string;
  readonly kind: ClusterKind;
  /** In file order; weight 0 destinations are kept (drained) so that they can be seen. */
  readonly destinations: readonly CompiledDestination[];
  readonly loadBalancing: LoadBalancing;
  readonly pool: { readonly connections: number; readonly keepAliveTimeoutMs: number; readonly pipelining: number };
  /** perTryMs null: no per-try timeout, an attempt may use what is left of the route deadline. */
  readonly timeouts: { readonly connectMs: number; readonly perTryMs: number | null; readonly bodyIdleMs: number };
  readonly retries: CompiledRetryPolicy;
  /** null when `breaker.enabled: false`. */
  readonly breaker: {
    readonly failureRatePercent: number;
    readonly minimumRequests: number;
    readonly windowMs: number;
    readonly openMs: number;
    readonly halfOpenTrials: number;
  } | null;
  readonly concurrency: { readonly max: number; readonly queue: number; readonly queueTimeoutMs: number };
  readonly healthChecks: {
    readonly active: { readonly path: string; readonly intervalMs: number; readonly timeoutMs: number } | null;
    readonly passive: { readonly consecutiveFailures: number; readonly ejectionMs: number; readonly maxEjectedPercent: number } | null;
  };
}

export interface CompiledDestination {
  readonly id: string;
  /** `http://127.0.0.1:4101` — what an undici Pool takes. */
  readonly origin: string;
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  readonly weight: number;
}

export interface CompiledRetryPolicy {
  /** Total attempts including the first; 1 = never retry. */
  readonly maxAttempts: number;
  readonly on: readonly RetryCondition[];
  readonly onConnectFailure: boolean;
  readonly onReset: boolean;
  /** Upstream statuses that may be retried (subset of 502, 503, 504). */
  readonly onStatuses: readonly number[];
  /** 504 listed: an expired per-try timeout is retried too. */
  readonly onPerTryTimeout: boolean;
  /** Retried without Idempotency-Key; any method with Idempotency-Key may be retried. */
  readonly methods: readonly HttpMethod[];
  readonly backoff: { readonly baseMs: number; readonly maxMs: number; readonly jitter: 'full' | 'none' };
  readonly budget: { readonly ratio: number; readonly minPerSecond: number };
  /** Ceiling of the wait before retry `n` (1-based): min(maxMs, baseMs · 2^(n-1)); full jitter draws in [0, ceiling]. */
  backoffCeilingMs(retry: number): number;
}

// ---------------------------------------------------------------- routes

export interface CompiledRoute {
  readonly id: string;
  /** Position in the file's `routes` list (for messages: `routes[index]`). */
  readonly index: number;
  readonly match: CompiledRouteMatch;
  readonly target: CompiledTarget;
  /** Upstream path for a request path and its remainder after the prefix (see RouteMatch). */
  rewritePath(path: string, remainder: string): string;
  /** Upstream path → external path (OpenAPI portal); null when the rewrite has no inverse. */
  readonly toExternalPath: ((upstreamPath: string) => string | undefined) | null;
  readonly auth: CompiledAuthPolicy;
  readonly scopes: readonly string[];
  readonly rateLimits: readonly CompiledRateLimitPolicy[];
  readonly cost: number;
  readonly cache: CompiledCachePolicy | null;
  readonly cors: CompiledCorsPolicy | null;
  readonly ipRules: CompiledIpRulesPolicy | null;
  readonly securityHeaders: CompiledSecurityHeadersPolicy | null;
  readonly transforms: CompiledTransformsPolicy | null;
  readonly requestRules: CompiledRequestRulesPolicy | null;
  readonly compression: CompiledCompressionPolicy | null;
  /** Resolved deadline (route or server default), retries included. */
  readonly timeoutMs: number;
  /** The route's cap on attempts (null: the cluster's retries.maxAttempts applies as is). */
  readonly maxAttemptsCap: number | null;
  /** Attempts allowed for a request of this route to `cluster`: min(cluster maxAttempts, cap). */
  attemptsFor(cluster: CompiledCluster): number;
  /** Resolved body limit (route or server default). */
  readonly maxBodyBytes: number;
  readonly internal: boolean;
}

export interface CompiledRouteMatch {
  /** The pattern as written (`/api/catalog/**`). */
  readonly pattern: string;
  readonly kind: 'exact' | 'prefix';
  /** exact: the path; prefix: the part before `/**` (`''` for `/**`). */
  readonly path: string;
  /** null: every method. */
  readonly methods: readonly HttpMethod[] | null;
  /** Lower-case names; `values` null = header must be present. */
  readonly headers: readonly { readonly name: string; readonly values: readonly string[] | null }[];
  readonly order: number;
}

export type CompiledTarget =
  | { readonly kind: 'cluster'; readonly cluster: CompiledCluster }
  | {
      readonly kind: 'weighted';
      readonly choices: readonly { readonly cluster: CompiledCluster; readonly weight: number }[];
      readonly totalWeight: number;
      /** `random` in [0, 1) (Math.random(), or a hash for sticky canaries). */
      pick(random: number): CompiledCluster;
    }
  | { readonly kind: 'aggregate'; readonly parts: readonly CompiledAggregatePart[] };

export interface CompiledAggregatePart {
  readonly key: string;
  readonly cluster: CompiledCluster;
  /** As written, e.g. `/customers/{identity.sub}`. */
  readonly pathTemplate: string;
  /** Fills the placeholders (values URL-encoded; a missing value becomes ''). */
  renderPath(context: PartContext): string;
  /** Resolved: the part's own or the route's timeout. */
  readonly deadlineMs: number;
  /** Effective attempts: min(cluster retries.maxAttempts, the part's cap). */
  readonly maxAttempts: number;
  readonly policy: PartPolicy;
  /** stale-allowed: how old a served last good value may be. */
  readonly maxStaleMs: number;
  readonly token: { readonly mode: 'forward' } | { readonly mode: 'none' } | { readonly mode: 'exchange'; readonly audience: string; readonly scopes: readonly string[] };
}

export interface PartContext {
  readonly identity: { readonly sub?: string; readonly tenant?: string } | null;
  /** Query parameter lookup, e.g. `(n) => url.searchParams.get(n)`. */
  query(name: string): string | null | undefined;
}

// ---------------------------------------------------------------- matcher

/** Request headers as Node gives them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface RouteMatch {
  readonly route: CompiledRoute;
  /** Path after the matched prefix: `''` or starting with `/` (exact routes: `''`). */
  readonly remainder: string;
  /** `route.rewritePath(path, remainder)`, computed once. */
  readonly upstreamPath: string;
}

/**
 * Precompiled route lookup: an exact-path map plus a segment trie of prefixes.
 * Precedence: exact > longer prefix > shorter prefix; among routes on the same pattern, lower
 * `match.order` first, then routes with more header conditions, then file order. A route that
 * matches the path but not the method/headers falls through to the next candidate.
 * Matching is case-sensitive; `path` must already be decoded and normalised, without query.
 * An exact pattern also matches its single trailing-slash variant (`/a/` → `/a`), so that a
 * trailing slash never reaches a different route's policies. For CORS preflights, pass the
 * `Access-Control-Request-Method` as `method`.
 */
export interface RouteMatcher {
  match(method: string, path: string, headers: RequestHeaders): RouteMatch | null;
}

// ---------------------------------------------------------------- policies

export interface CompiledPolicies {
  readonly auth: Readonly<Record<string, CompiledAuthPolicy>>;
  readonly rateLimits: Readonly<Record<string, CompiledRateLimitPolicy>>;
  readonly cache: Readonly<Record<string, CompiledCachePolicy>>;
  readonly cors: Readonly<Record<string, CompiledCorsPolicy>>;
  readonly ipRules: Readonly<Record<string, CompiledIpRulesPolicy>>;
  readonly securityHeaders: Readonly<Record<string, CompiledSecurityHeadersPolicy>>;
  readonly transforms: Readonly<Record<string, CompiledTransformsPolicy>>;
  readonly requestRules: Readonly<Record<string, CompiledRequestRulesPolicy>>;
  readonly compression: Readonly<Record<string, CompiledCompressionPolicy>>;
}

export type CompiledAuthPolicy = CompiledAnonymousAuthPolicy | CompiledJwtAuthPolicy;

export interface CompiledAnonymousAuthPolicy {
  readonly kind: 'anonymous';
  readonly name: string;
}

export interface CompiledJwtAuthPolicy {
  readonly kind: 'jwt';
  readonly name: string;
  readonly issuer: string;
  readonly audiences: readonly string[];
  /** null: discover from `<issuer>/.well-known/openid-configuration`. */
  readonly jwksUri: string | null;
  readonly algorithms: readonly JwtAlgorithm[];
  readonly clockToleranceSec: number;
  /** Always contains `exp`. */
  readonly requiredClaims: readonly string[];
  readonly tenantClaim: string | null;
  readonly clientIdClaim: string;
  readonly scopeClaim: string;
  readonly forwardToken: boolean;
  /** Lower-case header names the gateway sets from the validated token (null: not set). */
  readonly identityHeaders: { readonly user: string | null; readonly tenant: string | null };
  /** Requests without a bearer token but with this (lower-case) header pass through unvalidated. */
  readonly apiKey: { readonly header: string } | null;
  /** Same names as @edge/auth's JwksSettings. */
  readonly jwks: { readonly timeoutMs: number; readonly cooldownMs: number; readonly refreshIntervalMs: number };
}

export interface CompiledRateLimitPolicy {
  readonly name: string;
  readonly keyBy: readonly RateLimitKey[];
  /** Short window; null when the policy has quotas only. */
  readonly window: { readonly limit: number; readonly windowMs: number } | null;
  readonly algorithm: 'sliding-window' | 'token-bucket';
  readonly quotas: readonly { readonly limit: number; readonly period: 'day' | 'month' }[];
  readonly store: 'auto' | 'memory' | 'redis';
  readonly onStoreFailure: 'open' | 'closed';
  readonly whenKeyMissing: 'limit-by-ip' | 'skip';
}

export interface CompiledCachePolicy {
  readonly name: string;
  readonly scope: 'shared' | 'private-per-user' | 'shared-per-tenant';
  readonly defaultTtlMs: number;
  readonly maxTtlMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  readonly statuses: readonly number[];
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  readonly store: 'auto' | 'memory' | 'redis';
  readonly tags: readonly string[];
  /** Lower-case; null when tags come from configuration only. */
  readonly tagsHeader: string | null;
}

export interface CompiledCorsPolicy {
  readonly name: string;
  readonly origins: readonly string[];
  readonly anyOrigin: boolean;
  allowsOrigin(origin: string): boolean;
  readonly methods: readonly HttpMethod[];
  /** Lower-case. */
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly credentials: boolean;
  readonly maxAgeSec: number;
}

export interface CompiledIpRulesPolicy {
  readonly name: string;
  readonly allow: CidrSet;
  readonly deny: CidrSet;
  /** Deny wins; a non-empty allow list admits only its addresses. */
  allows(ip: string): boolean;
}

export interface CompiledSecurityHeadersPolicy {
  readonly name: string;
  /** Precomputed [name, value] pairs set on every response. */
  readonly headers: readonly (readonly [string, string])[];
  /** Set only on responses over TLS (HSTS). */
  readonly tlsHeaders: readonly (readonly [string, string])[];
}

export interface CompiledHeaderOps {
  /** Lower-case names. */
  readonly add: readonly (readonly [string, string])[];
  readonly set: readonly (readonly [string, string])[];
  readonly rename: readonly (readonly [string, string])[];
  readonly remove: readonly string[];
}

export interface CompiledTransformsPolicy {
  readonly name: string;
  readonly request: CompiledHeaderOps;
  readonly response: CompiledHeaderOps & { readonly strip: HeaderNameMatcher };
  readonly jsonResponse: { readonly removeFields: readonly string[]; readonly maxBufferBytes: number } | null;
  /** Header operations + removed fields (the audit's "heavy transform" measure). */
  readonly operationCount: number;
}

export interface RequestFacts {
  readonly method: string;
  /** Decoded, normalised path. */
  readonly path: string;
  /** Raw query string without `?` ('' when none). */
  readonly rawQuery: string;
  /** Lower-case name → value(s). */
  readonly headers: RequestHeaders;
}

export interface CompiledDenyRule {
  readonly index: number;
  readonly reason: string | null;
  readonly methods: readonly DenyMethod[] | null;
  matches(request: RequestFacts): boolean;
}

export interface CompiledRequestRulesPolicy {
  readonly name: string;
  readonly deny: readonly CompiledDenyRule[];
  /** The first deny rule the request matches, or null. */
  firstDenied(request: RequestFacts): CompiledDenyRule | null;
}

export interface CompiledCompressionPolicy {
  readonly name: string;
  /** In preference order. */
  readonly encodings: readonly ('br' | 'gzip')[];
  readonly minBytes: number;
  /** Built-in already-compressed types + the policy's own. */
  readonly excludedTypes: readonly string[];
  /** False for excluded types (parameters such as `; charset` ignored). */
  compressible(contentType: string | undefined): boolean;
}

// ---------------------------------------------------------------- portal

export interface CompiledOpenApi {
  readonly path: string;
  readonly docsPath: string;
  readonly title: string;
  readonly version: string;
  readonly servers: readonly string[];
  readonly sources: readonly { readonly cluster: CompiledCluster; readonly path: string; readonly fetchTimeoutMs: number; readonly required: boolean }[];
}
