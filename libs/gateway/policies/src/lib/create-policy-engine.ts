import type { CompiledGatewayConfig, CompiledRateLimitPolicy, CompiledRoute } from '@edge/gateway-config';
import { MemoryStateStore, type StateStore } from '@edge/state';
import type { Logger } from 'pino';
import { EdgeCache } from './cache/edge-cache';
import { RouteCache } from './cache/route-cache';
import type { UpstreamFetch } from './cache/upstream-fetch';
import { corsStage } from './edge/cors.stage';
import { ipRulesStage } from './edge/ip-rules.stage';
import { requestRulesStage } from './edge/request-rules.stage';
import { securityHeadersStage } from './edge/security-headers.stage';
import type { Exchange, ResponseFilter, StageResult } from './exchange';
import type { PolicyEngine } from './policy-engine';
import { rateLimitStage } from './rate-limit/rate-limit.stage';
import { compressionFilter } from './response/compression';
import { newResponseState } from './response/response-state';
import { routeTransforms, type RouteTransforms } from './response/route-transforms';

export interface PolicyEngineDeps {
  /** The shared state store: Redis when REDIS_URL is set, memory otherwise (shared across config versions). */
  state: StateStore;
  /**
   * Counters of `store: memory` policies while `state` is Redis. Pass one store that outlives
   * config versions, or counters restart on every reload (the engine then makes its own).
   */
  memoryState?: StateStore;
  /** Informational only: the adapter is chosen from `state.kind`. */
  redisUrl?: string;
  log: Logger;
  now?: () => number;
  /** Background refreshes for stale-while-revalidate (without it, stale entries are revalidated inline). */
  fetchUpstream?: UpstreamFetch;
  /** The engine of the previous config version: in-memory caches of unchanged policies are taken over. */
  previous?: EdgePolicyEngine;
}

export interface CachePurge {
  /** Removes entries whose path (and query) starts with `prefix` (`/api/catalog/`); resolves to the count. */
  purgePrefix(prefix: string): Promise<number>;
  /** Removes entries carrying `tag`; resolves to the count. */
  purgeTag(tag: string): Promise<number>;
}

export interface EdgePolicyEngine extends PolicyEngine {
  readonly cache: CachePurge & { readonly edge: EdgeCache };
}

type BeforeStage = (exchange: Exchange) => StageResult | void;

interface RoutePlan {
  readonly before: readonly BeforeStage[];
  readonly rateLimit: ((exchange: Exchange) => Promise<void>) | null;
  readonly transforms: RouteTransforms | null;
  readonly cache: RouteCache | null;
  readonly compression: ResponseFilter | null;
}

/**
 * The edge policies of one config version, resolved per route up front (nothing on the
 * request path branches on options more than once). Stage order:
 * beforeAuth — security headers (so refusals carry them), IP rules, request deny rules, CORS;
 * afterAuth — rate limits and quotas, request transforms, cache lookup, then the response
 * filters: cache source → transforms (headers, JSON fields) → cache writer → compression.
 */
export function createPolicyEngine(config: CompiledGatewayConfig, deps: PolicyEngineDeps): EdgePolicyEngine {
  const now = deps.now ?? Date.now;
  const ownMemory = deps.state.kind === 'memory' || deps.memoryState ? undefined : new MemoryStateStore();
  const memory: StateStore = deps.state.kind === 'memory' ? deps.state : (deps.memoryState ?? (ownMemory as StateStore));
  for (const policy of Object.values(config.policies.rateLimits)) {
    if (policy.store === 'redis' && deps.state.kind !== 'redis') throw new Error(`rate limit policy "${policy.name}" needs store redis, but REDIS_URL is not set`);
  }
  const storeFor = (policy: CompiledRateLimitPolicy): StateStore => (policy.store === 'memory' ? memory : deps.state);
  const edge = new EdgeCache(config, { state: deps.state, log: deps.log, now, fetchUpstream: deps.fetchUpstream, previous: deps.previous?.cache.edge });

  const planFor = (route: CompiledRoute): RoutePlan => {
    const before = [securityHeadersStage(route), ipRulesStage(route), requestRulesStage(route), corsStage(route)].filter((s): s is BeforeStage => s !== null);
    const transforms = routeTransforms(route);
    const compression = compressionFilter(route.compression);
    return {
      before,
      rateLimit: rateLimitStage(route, { storeFor, log: deps.log, now }),
      transforms,
      cache: route.cache ? new RouteCache(route, edge, transforms, compression) : null,
      compression,
    };
  };
  const plans = new Map<CompiledRoute, RoutePlan>(config.routes.map((r) => [r, planFor(r)]));
  const plan = (route: CompiledRoute): RoutePlan => {
    let p = plans.get(route);
    if (!p) plans.set(route, (p = planFor(route)));
    return p;
  };

  type CacheContext = Exclude<Awaited<ReturnType<RouteCache['lookup']>>, 'handled'>;
  /** The response filters, in order: cache source → transforms → cache writer → compression. */
  const registerFilters = (exchange: Exchange, p: RoutePlan, ctx: CacheContext | undefined, state: ReturnType<typeof newResponseState>): StageResult => {
    if (ctx && p.cache) exchange.responseFilters.push(p.cache.source(ctx));
    if (p.transforms) exchange.responseFilters.push(p.transforms.filter(state));
    if (ctx && p.cache) exchange.responseFilters.push(p.cache.writer(ctx));
    if (p.compression) exchange.responseFilters.push(p.compression);
    return 'continue';
  };
  /** After rate limits: request transforms (before the cache lookup: a background revalidation it starts sends them too), then the cache. */
  const afterRateLimit = (exchange: Exchange, p: RoutePlan): StageResult | Promise<StageResult> => {
    if (p.transforms?.request) (exchange.upstreamRequestFilters ??= []).push(p.transforms.request);
    const state = newResponseState();
    if (!p.cache) return registerFilters(exchange, p, undefined, state);
    return p.cache.lookup(exchange, state).then((ctx) => (ctx === 'handled' ? 'handled' : registerFilters(exchange, p, ctx, state)));
  };

  return {
    cache: {
      edge,
      purgePrefix: (prefix) => edge.purgePrefix(prefix),
      purgeTag: (tag) => edge.purgeTag(tag),
    },
    beforeAuth(exchange) {
      for (const stage of plan(exchange.route).before) if (stage(exchange) === 'handled') return 'handled';
      return 'continue';
    },
    // Only rate limits and the cache wait: other routes get a plain result, not a promise.
    afterAuth(exchange) {
      const p = plan(exchange.route);
      return p.rateLimit ? p.rateLimit(exchange).then(() => afterRateLimit(exchange, p)) : afterRateLimit(exchange, p);
    },
    async close() {
      await edge.close();
      await ownMemory?.close();
    },
  };
}
