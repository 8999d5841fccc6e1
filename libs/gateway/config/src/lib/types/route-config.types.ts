import type { HttpMethod } from './cluster-config.types';

/**
 * A route: which requests (`match`) go where (exactly one of `cluster`, `weightedClusters`,
 * `aggregate`) under which named policies. `auth` is required on every route.
 */
export interface RouteConfig {
  id: string;
  match: RouteMatchConfig;
  cluster?: string;
  /** Canary split: each request goes to one cluster, chosen by weight. */
  weightedClusters?: WeightedClusterConfig[];
  /** A composite route (exact path only): parts fetched in parallel and merged under their keys. */
  aggregate?: AggregateConfig;
  /** Path sent upstream; without it the request path is forwarded unchanged. Exactly one form. */
  rewrite?: RewriteConfig;
  /** Name of an auth policy (an `anonymous: true` policy makes the route public). */
  auth: string;
  /** Scopes the token must carry, all of them (403 insufficient_scope otherwise). */
  scopes?: string[];
  /** Rate limit policies; every one applies (e.g. per user AND per tenant). */
  rateLimits?: string[];
  /** Tokens one request spends in each rate limit (expensive routes spend more). */
  cost?: number;
  cache?: string;
  cors?: string;
  ipRules?: string;
  securityHeaders?: string;
  transforms?: string;
  requestRules?: string;
  compression?: string;
  /** Deadline for the whole exchange up to the response headers, retries included. */
  timeoutMs?: number;
  /** Caps the target cluster's retries.maxAttempts on this route (1: never retry here); never raises it. */
  maxAttempts?: number;
  maxBodyBytes?: number;
  /** Hidden from the aggregated OpenAPI document. */
  internal?: boolean;
}

export interface RouteMatchConfig {
  /** `/exact/path` or `/prefix/**` (`/**` matches everything). */
  path: string;
  /** Omitted: every method. GET does not imply HEAD. */
  methods?: HttpMethod[];
  /** All must match; a condition without `values` only requires the header to be present. */
  headers?: HeaderMatchConfig[];
  /** Among routes with the same path pattern, lower order wins (default 0). */
  order?: number;
}

export interface HeaderMatchConfig {
  name: string;
  /** Exact, case-sensitive values; any one matches. */
  values?: string[];
}

export interface WeightedClusterConfig {
  cluster: string;
  weight: number;
}

/**
 * `stripPrefix: true`: `/api/catalog/items/1` on `/api/catalog/**` → `/items/1`.
 * `replacePrefix: /customers`: `/api/users/7` on `/api/users/**` → `/customers/7`.
 * `path: /v2/{**rest}`: a template; `{**rest}` is what follows the matched prefix (without its
 * leading slash). Only paths: the query string is forwarded byte-for-byte.
 */
export interface RewriteConfig {
  stripPrefix?: true;
  replacePrefix?: string;
  path?: string;
}

export interface AggregateConfig {
  parts: AggregatePartConfig[];
}

export type PartPolicy = 'required' | 'optional' | 'stale-allowed';

export interface AggregatePartConfig {
  /** Key of the part in the merged JSON response. */
  key: string;
  cluster: string;
  /**
   * Path (and query) on the cluster; placeholders `{identity.sub}`, `{identity.tenant}`,
   * `{query.<name>}` are filled from the validated token / the request query, URL-encoded.
   */
  path: string;
  /** Inside the route's budget (default: the route's timeout). */
  deadlineMs?: number;
  /** Caps the cluster's retries.maxAttempts for this part (1: never retry); never raises it. */
  maxAttempts?: number;
  /** required: its failure fails the request; optional: omitted with a warning; stale-allowed: last good value with a warning. */
  policy: PartPolicy;
  /** stale-allowed: how old a served last good value may be. */
  maxStaleMs?: number;
  /** Credentials sent to the part (default forward: the caller's token as is). */
  token?: 'forward' | 'exchange' | 'none';
  /** token: exchange — the audience of the exchanged token (e.g. orders-api). */
  audience?: string;
  /** token: exchange — scopes requested for the exchanged token. */
  scopes?: string[];
}
