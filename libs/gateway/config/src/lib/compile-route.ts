import { DEFAULTS } from './defaults';
import { type PathPattern, parsePathPattern } from './path-pattern';
import { compileRewrite, compileUnrewrite } from './rewrite';
import type {
  CompiledAggregatePart,
  CompiledCluster,
  CompiledPolicies,
  CompiledRoute,
  CompiledTarget,
  PartContext,
} from './types/compiled-config.types';
import type { ServerLimitsConfig } from './types/gateway-config.types';
import type { AggregatePartConfig, RouteConfig } from './types/route-config.types';

export interface RouteCompileContext {
  readonly clusters: Readonly<Record<string, CompiledCluster>>;
  readonly policies: CompiledPolicies;
  readonly limits: Required<ServerLimitsConfig>;
}

/** Compiles one (validated) route: names become objects, patterns become functions. */
export function compileRoute(route: RouteConfig, index: number, ctx: RouteCompileContext): CompiledRoute {
  const parsed = parsePathPattern(route.match.path);
  if (!parsed.ok) throw new Error(`routes[${index}].match.path: ${parsed.message}`);
  const pattern: PathPattern = parsed.value;
  const timeoutMs = route.timeoutMs ?? ctx.limits.defaultRouteTimeoutMs;
  const named = <T>(map: Readonly<Record<string, T>>, name: string | undefined, what: string): T | null => {
    if (name === undefined) return null;
    const found = map[name];
    if (found === undefined) throw new Error(`routes[${index}]: unknown ${what} "${name}"`);
    return found;
  };
  const auth = named(ctx.policies.auth, route.auth, 'auth policy');
  if (!auth) throw new Error(`routes[${index}].auth is required`);
  return {
    id: route.id,
    index,
    match: {
      pattern: route.match.path,
      kind: pattern.kind,
      path: pattern.kind === 'exact' ? pattern.path : pattern.prefix,
      methods: route.match.methods ? [...route.match.methods] : null,
      headers: (route.match.headers ?? []).map((h) => ({ name: h.name.toLowerCase(), values: h.values ? [...h.values] : null })),
      order: route.match.order ?? DEFAULTS.route.order,
    },
    target: compileTarget(route, index, timeoutMs, ctx),
    rewritePath: compileRewrite(route.rewrite),
    toExternalPath: route.aggregate ? null : compileUnrewrite(route.rewrite, pattern),
    auth,
    scopes: [...(route.scopes ?? [])],
    rateLimits: (route.rateLimits ?? []).map((name) => named(ctx.policies.rateLimits, name, 'rate limit policy') as NonNullable<CompiledRoute['rateLimits'][number]>),
    cost: route.cost ?? DEFAULTS.route.cost,
    cache: named(ctx.policies.cache, route.cache, 'cache policy'),
    cors: named(ctx.policies.cors, route.cors, 'cors policy'),
    ipRules: named(ctx.policies.ipRules, route.ipRules, 'ipRules policy'),
    securityHeaders: named(ctx.policies.securityHeaders, route.securityHeaders, 'securityHeaders policy'),
    transforms: named(ctx.policies.transforms, route.transforms, 'transforms policy'),
    requestRules: named(ctx.policies.requestRules, route.requestRules, 'requestRules policy'),
    compression: named(ctx.policies.compression, route.compression, 'compression policy'),
    timeoutMs,
    maxAttemptsCap: route.maxAttempts ?? null,
    attemptsFor: (cluster) => Math.min(cluster.retries.maxAttempts, route.maxAttempts ?? Number.POSITIVE_INFINITY),
    maxBodyBytes: route.maxBodyBytes ?? ctx.limits.maxBodyBytes,
    internal: route.internal ?? DEFAULTS.route.internal,
  };
}

function compileTarget(route: RouteConfig, index: number, timeoutMs: number, ctx: RouteCompileContext): CompiledTarget {
  const cluster = (id: string): CompiledCluster => {
    const found = ctx.clusters[id];
    if (!found) throw new Error(`routes[${index}]: unknown cluster "${id}"`);
    return found;
  };
  if (route.cluster !== undefined) return { kind: 'cluster', cluster: cluster(route.cluster) };
  if (route.weightedClusters) {
    const choices = route.weightedClusters.map((w) => ({ cluster: cluster(w.cluster), weight: w.weight }));
    const totalWeight = choices.reduce((sum, c) => sum + c.weight, 0);
    const positive = choices.filter((c) => c.weight > 0);
    return {
      kind: 'weighted',
      choices,
      totalWeight,
      pick(random: number): CompiledCluster {
        let point = random * totalWeight;
        for (const choice of positive) {
          point -= choice.weight;
          if (point < 0) return choice.cluster;
        }
        // random ≈ 1 with float rounding: the last positive choice.
        const last = positive[positive.length - 1] ?? choices[0];
        if (!last) throw new Error('weighted target without choices');
        return last.cluster;
      },
    };
  }
  if (route.aggregate) return { kind: 'aggregate', parts: route.aggregate.parts.map((p) => compilePart(p, timeoutMs, cluster(p.cluster))) };
  throw new Error(`routes[${index}] has no target`);
}

function compilePart(part: AggregatePartConfig, routeTimeoutMs: number, cluster: CompiledCluster): CompiledAggregatePart {
  const token = part.token ?? DEFAULTS.part.token;
  return {
    key: part.key,
    cluster,
    pathTemplate: part.path,
    renderPath: compileTemplate(part.path),
    deadlineMs: part.deadlineMs ?? routeTimeoutMs,
    maxAttempts: Math.min(cluster.retries.maxAttempts, part.maxAttempts ?? Number.POSITIVE_INFINITY),
    policy: part.policy,
    maxStaleMs: part.maxStaleMs ?? DEFAULTS.part.maxStaleMs,
    token: token === 'exchange' ? { mode: 'exchange', audience: part.audience ?? '', scopes: [...(part.scopes ?? [])] } : { mode: token },
  };
}

/** `/customers/{identity.sub}?x={query.x}` → a function joining literal pieces and encoded values. */
function compileTemplate(template: string): (context: PartContext) => string {
  const pieces: ((context: PartContext) => string)[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    const literal = template.slice(last, m.index);
    pieces.push(() => literal);
    const name = m[1] ?? '';
    if (name === 'identity.sub') pieces.push((c) => encodeURIComponent(c.identity?.sub ?? ''));
    else if (name === 'identity.tenant') pieces.push((c) => encodeURIComponent(c.identity?.tenant ?? ''));
    else {
      const param = name.slice('query.'.length);
      pieces.push((c) => encodeURIComponent(c.query(param) ?? ''));
    }
    last = m.index + m[0].length;
  }
  const tail = template.slice(last);
  if (pieces.length === 0) return () => template;
  return (context) => pieces.map((piece) => piece(context)).join('') + tail;
}
