/**
 * # The gateway configuration file
 *
 * One YAML (or JSON) file, `${VAR}` / `${VAR:-default}` expanded from the environment before
 * parsing (`readConfigFile` of @edge/config). Editors validate it with
 * `gateway-config.schema.json` (JSON Schema 2020-12); `validateGatewayConfig` applies the same
 * schema plus the semantic checks and compiles it into the immutable runtime model.
 *
 * The model follows YARP's split and makes every decision explicit:
 *
 * - **routes** (an ordered list) say *which requests* (`match`: path, methods, headers) go
 *   *where* (`cluster`, `weightedClusters` for canaries, or an `aggregate` of parts) and *under
 *   which policies*, by name. Every route names its `auth` decision — an anonymous policy is a
 *   decision too; there is no implicit "public".
 * - **clusters** (a map id → cluster) say *how to talk to an upstream*: destinations and load
 *   balancing, connection pool, timeouts, retries with a budget, circuit breaker, concurrency
 *   limit, health checks. `kind: bff` clusters get no retries by default (one retry budget across
 *   the chain: the BFF retries its own dependencies).
 * - **policies** (maps per kind: auth, rateLimits, cache, cors, ipRules, securityHeaders,
 *   transforms, requestRules, compression) are defined once and shared by name.
 * - **server** holds listener, trust and default limits; **openapi** the API portal.
 *
 * Conventions:
 * - Durations are integers in milliseconds in fields ending `Ms` (`Sec` where a protocol speaks
 *   seconds: `clockToleranceSec`, `maxAgeSec`); sizes are integers in bytes (`…Bytes`).
 * - Ids (clusters, destinations, policies, routes, parts) are lower-case: `[a-z0-9][a-z0-9._-]*`.
 * - Path patterns are exact (`/api/dashboard`) or prefix (`/api/catalog/**`, which matches
 *   `/api/catalog` and everything below it, never `/api/catalogue`). Matching is case-sensitive.
 *   Precedence: exact > longer prefix > shorter prefix, then `match.order` (lower first), then
 *   routes with header conditions before routes without. Two routes that would still tie
 *   (same pattern, same order, same header conditions, overlapping methods) are a config error.
 * - Secrets are never values in this file (it is hashed, logged on reload problems, and can be
 *   shown): fields ending in `Env` name the environment variable that holds the secret.
 * - Unknown keys are errors; a few likely mistakes say what replaced them (`timeout` → `timeoutMs`).
 *
 * A compact example:
 * ```yaml
 * version: 1
 * server: { http: { port: 8080 } }
 * clusters:
 *   catalog:
 *     kind: service
 *     destinations: { primary: { url: "${CATALOG_URL:-http://127.0.0.1:4101}" } }
 * policies:
 *   auth: { public: { anonymous: true } }
 *   rateLimits: { per-ip: { keyBy: [ip], limit: 120, windowMs: 60000 } }
 * routes:
 *   - id: catalog
 *     match: { path: /api/catalog/**, methods: [GET, HEAD] }
 *     cluster: catalog
 *     auth: public
 *     rateLimits: [per-ip]
 * ```
 */
import type { ClusterConfig } from './cluster-config.types';
import type { PoliciesConfig } from './policy-config.types';
import type { RouteConfig } from './route-config.types';

export interface GatewayConfigFile {
  /** Editors may point at the JSON Schema; ignored by the gateway. */
  $schema?: string;
  /** Format version of this file. */
  version: 1;
  server?: ServerConfig;
  clusters: Record<string, ClusterConfig>;
  policies?: PoliciesConfig;
  routes: RouteConfig[];
  openapi?: OpenApiConfig;
}

export interface ServerConfig {
  /** Plain HTTP listener (default 127.0.0.1:8080). */
  http?: { host?: string; port?: number };
  /**
   * TLS listener with HTTP/2 via ALPN (and HTTP/1.1). Enabled when both `cert` and `key` are
   * non-empty file paths, so `cert: "${TLS_CERT_FILE:-}"` turns it on from the environment.
   */
  https?: { host?: string; port?: number; cert?: string; key?: string; http2?: boolean };
  /** CIDRs (v4/v6) whose `X-Forwarded-For` is believed. Empty: the socket peer is the client. */
  trustedProxies?: string[];
  /**
   * Paths containing `;` (RFC 3986 path parameters). Servlet containers (Tomcat, Jetty, Spring)
   * drop a segment's parameters before matching, so `/admin;x=1/users` reaches their
   * `/admin/users` while the gateway routed it as something else (a catch-all, say).
   * `reject` (default, as Spring Security's firewall): 400. `forward`: passed on as written
   * (dot segments with parameters, `/..;/`, are refused either way).
   */
  pathParameters?: 'reject' | 'forward';
  limits?: ServerLimitsConfig;
  /**
   * Request header name patterns (`*` = any characters) stripped from every client request,
   * so that no client can forge identity. Replaces the default list when given. Header names
   * that auth policies set (`identityHeaders`) are always stripped too.
   */
  stripIdentityHeaders?: string[];
  admin?: AdminConfig;
  /** Needed when an aggregate part exchanges the caller's token for its service's audience. */
  tokenExchange?: TokenExchangeConfig;
}

export interface ServerLimitsConfig {
  /** Total request header size; larger → 431. */
  maxHeaderBytes?: number;
  /** Default request body limit (routes may lower or raise it); larger → 413. */
  maxBodyBytes?: number;
  /** Deadline of routes without `timeoutMs`, retries included; at most 15 s. */
  defaultRouteTimeoutMs?: number;
  /** Upper bound of parts in one aggregate route (fan-out per request). */
  maxAggregateParts?: number;
}

/** Admin endpoints (cache purge) under `basePath`; authenticated by `auth` xor `tokenEnv`. */
export interface AdminConfig {
  basePath?: string;
  /** A (non-anonymous) auth policy; callers also need every scope in `scopes`. */
  auth?: string;
  scopes?: string[];
  /** Name of the environment variable holding a static bearer token (compared in constant time). */
  tokenEnv?: string;
  /** An ipRules policy limiting who may reach the admin endpoints at all. */
  ipRules?: string;
}

/** OAuth 2.0 Token Exchange (RFC 8693) client used by aggregate parts with `token: exchange`. */
export interface TokenExchangeConfig {
  tokenEndpoint: string;
  clientId: string;
  /** Name of the environment variable holding the client secret. */
  clientSecretEnv: string;
}

export interface OpenApiConfig {
  /** Where the aggregated OpenAPI 3.1 document is served (default /openapi.json). */
  path?: string;
  /** Where the docs page is served (default /docs). */
  docsPath?: string;
  title?: string;
  version?: string;
  /** External base URLs clients call (the `servers` of the document). */
  servers?: string[];
  /** Documents to aggregate: fetched from a cluster at start-up and on reload. */
  sources: OpenApiSourceConfig[];
}

export interface OpenApiSourceConfig {
  cluster: string;
  /** Path of the document on the cluster's destinations. */
  path: string;
  fetchTimeoutMs?: number;
  /** Required sources fail start-up/reload when unavailable; optional ones are skipped with a warning. */
  required?: boolean;
}
