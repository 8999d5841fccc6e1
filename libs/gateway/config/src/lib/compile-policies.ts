import { cidrSet } from './cidr';
import { ALWAYS_UNCOMPRESSED_TYPES, DEFAULTS } from './defaults';
import { record } from './deep-freeze';
import { headerNameMatcher } from './header-patterns';
import type {
  CompiledAuthPolicy,
  CompiledCachePolicy,
  CompiledCompressionPolicy,
  CompiledCorsPolicy,
  CompiledDenyRule,
  CompiledHeaderOps,
  CompiledIpRulesPolicy,
  CompiledPolicies,
  CompiledRateLimitPolicy,
  CompiledRequestRulesPolicy,
  CompiledSecurityHeadersPolicy,
  CompiledTransformsPolicy,
  RequestFacts,
} from './types/compiled-config.types';
import type {
  AuthPolicyConfig,
  CachePolicyConfig,
  CompressionPolicyConfig,
  CorsPolicyConfig,
  HeaderOpsConfig,
  IpRulesPolicyConfig,
  PoliciesConfig,
  RateLimitPolicyConfig,
  RequestDenyRuleConfig,
  RequestRulesPolicyConfig,
  SecurityHeadersPolicyConfig,
  TransformsPolicyConfig,
} from './types/policy-config.types';

const compileMap = <C, R>(map: Record<string, C> | undefined, compile: (name: string, policy: C) => R): Record<string, R> =>
  record(Object.entries(map ?? {}).map(([name, policy]) => [name, compile(name, policy)] as const));

export function compilePolicies(policies: PoliciesConfig | undefined): CompiledPolicies {
  const p = policies ?? {};
  return {
    auth: compileMap(p.auth, compileAuth),
    rateLimits: compileMap(p.rateLimits, compileRateLimit),
    cache: compileMap(p.cache, compileCache),
    cors: compileMap(p.cors, compileCors),
    ipRules: compileMap(p.ipRules, compileIpRules),
    securityHeaders: compileMap(p.securityHeaders, compileSecurityHeaders),
    transforms: compileMap(p.transforms, compileTransforms),
    requestRules: compileMap(p.requestRules, compileRequestRules),
    compression: compileMap(p.compression, compileCompression),
  };
}

export function compileAuth(name: string, policy: AuthPolicyConfig): CompiledAuthPolicy {
  if (policy.anonymous === true) return { kind: 'anonymous', name };
  const A = DEFAULTS.auth;
  return {
    kind: 'jwt',
    name,
    issuer: policy.issuer,
    audiences: [...policy.audiences],
    jwksUri: policy.jwksUri ?? null,
    algorithms: [...(policy.algorithms ?? A.algorithms)],
    clockToleranceSec: policy.clockToleranceSec ?? A.clockToleranceSec,
    requiredClaims: [...new Set(['exp', ...(policy.requiredClaims ?? [])])],
    tenantClaim: policy.tenantClaim ?? null,
    clientIdClaim: policy.clientIdClaim ?? A.clientIdClaim,
    scopeClaim: policy.scopeClaim ?? A.scopeClaim,
    forwardToken: policy.forwardToken ?? A.forwardToken,
    identityHeaders: { user: policy.identityHeaders?.user?.toLowerCase() ?? null, tenant: policy.identityHeaders?.tenant?.toLowerCase() ?? null },
    apiKey: policy.apiKey ? { header: (policy.apiKey.header ?? A.apiKeyHeader).toLowerCase() } : null,
    jwks: {
      timeoutMs: policy.jwks?.timeoutMs ?? A.jwks.timeoutMs,
      cooldownMs: policy.jwks?.cooldownMs ?? A.jwks.cooldownMs,
      refreshIntervalMs: policy.jwks?.refreshIntervalMs ?? A.jwks.refreshIntervalMs,
    },
  };
}

function compileRateLimit(name: string, policy: RateLimitPolicyConfig): CompiledRateLimitPolicy {
  const R = DEFAULTS.rateLimit;
  return {
    name,
    keyBy: [...policy.keyBy],
    window: policy.limit !== undefined && policy.windowMs !== undefined ? { limit: policy.limit, windowMs: policy.windowMs } : null,
    algorithm: policy.algorithm ?? R.algorithm,
    quotas: (policy.quotas ?? []).map((q) => ({ limit: q.limit, period: q.period })),
    store: policy.store ?? R.store,
    onStoreFailure: policy.onStoreFailure ?? R.onStoreFailure,
    whenKeyMissing: policy.whenKeyMissing ?? R.whenKeyMissing,
  };
}

function compileCache(name: string, policy: CachePolicyConfig): CompiledCachePolicy {
  const C = DEFAULTS.cache;
  return {
    name,
    scope: policy.scope,
    defaultTtlMs: policy.defaultTtlMs ?? C.defaultTtlMs,
    maxTtlMs: policy.maxTtlMs ?? C.maxTtlMs,
    staleWhileRevalidateMs: policy.staleWhileRevalidateMs ?? C.staleWhileRevalidateMs,
    staleIfErrorMs: policy.staleIfErrorMs ?? C.staleIfErrorMs,
    statuses: [...(policy.statuses ?? C.statuses)],
    maxEntryBytes: policy.maxEntryBytes ?? C.maxEntryBytes,
    maxTotalBytes: policy.maxTotalBytes ?? C.maxTotalBytes,
    store: policy.store ?? C.store,
    tags: [...(policy.tags ?? [])],
    tagsHeader: policy.tagsHeader?.toLowerCase() ?? null,
  };
}

function compileCors(name: string, policy: CorsPolicyConfig): CompiledCorsPolicy {
  const anyOrigin = policy.origins.includes('*');
  const origins = [...policy.origins];
  return {
    name,
    origins,
    anyOrigin,
    allowsOrigin: anyOrigin ? () => true : (origin) => origins.includes(origin),
    methods: [...(policy.methods ?? DEFAULTS.cors.methods)],
    allowHeaders: (policy.allowHeaders ?? []).map((h) => h.toLowerCase()),
    exposeHeaders: (policy.exposeHeaders ?? []).map((h) => h.toLowerCase()),
    credentials: policy.credentials ?? DEFAULTS.cors.credentials,
    maxAgeSec: policy.maxAgeSec ?? DEFAULTS.cors.maxAgeSec,
  };
}

export function compileIpRules(name: string, policy: IpRulesPolicyConfig): CompiledIpRulesPolicy {
  const allow = cidrSet(policy.allow ?? []);
  const deny = cidrSet(policy.deny ?? []);
  return {
    name,
    allow,
    deny,
    allows: (ip) => !deny.contains(ip) && (allow.isEmpty || allow.contains(ip)),
  };
}

function compileSecurityHeaders(name: string, policy: SecurityHeadersPolicyConfig): CompiledSecurityHeadersPolicy {
  const S = DEFAULTS.securityHeaders;
  const headers: [string, string][] = [];
  if (policy.noSniff ?? S.noSniff) headers.push(['x-content-type-options', 'nosniff']);
  const ancestors = policy.frameAncestors ?? S.frameAncestors;
  if (ancestors.length > 0) {
    headers.push(['content-security-policy', `frame-ancestors ${ancestors.join(' ')}`]);
    // Older browsers only know X-Frame-Options; it can express 'none' and 'self' exactly.
    if (ancestors.length === 1 && ancestors[0] === "'none'") headers.push(['x-frame-options', 'DENY']);
    if (ancestors.length === 1 && ancestors[0] === "'self'") headers.push(['x-frame-options', 'SAMEORIGIN']);
  }
  headers.push(['referrer-policy', policy.referrerPolicy ?? S.referrerPolicy]);
  if (policy.crossOriginResourcePolicy) headers.push(['cross-origin-resource-policy', policy.crossOriginResourcePolicy]);
  const hsts = { ...S.hsts, ...policy.hsts };
  const tlsHeaders: [string, string][] = hsts.enabled
    ? [['strict-transport-security', `max-age=${hsts.maxAgeSec}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`]]
    : [];
  return { name, headers, tlsHeaders };
}

function headerOps(ops: HeaderOpsConfig | undefined): CompiledHeaderOps {
  const pairs = (map: Record<string, string> | undefined): [string, string][] => Object.entries(map ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
  return {
    add: pairs(ops?.add),
    set: pairs(ops?.set),
    rename: pairs(ops?.rename).map(([from, to]) => [from, to.toLowerCase()]),
    remove: (ops?.remove ?? []).map((h) => h.toLowerCase()),
  };
}

const opCount = (ops: CompiledHeaderOps): number => ops.add.length + ops.set.length + ops.rename.length + ops.remove.length;

function compileTransforms(name: string, policy: TransformsPolicyConfig): CompiledTransformsPolicy {
  const request = headerOps(policy.request);
  const response = { ...headerOps(policy.response), strip: headerNameMatcher(policy.response?.strip ?? []) };
  const jsonResponse = policy.jsonResponse
    ? { removeFields: [...policy.jsonResponse.removeFields], maxBufferBytes: policy.jsonResponse.maxBufferBytes ?? DEFAULTS.transforms.maxBufferBytes }
    : null;
  return {
    name,
    request,
    response,
    jsonResponse,
    operationCount: opCount(request) + opCount(response) + response.strip.patterns.length + (jsonResponse?.removeFields.length ?? 0),
  };
}

function compileDenyRule(rule: RequestDenyRuleConfig, index: number): CompiledDenyRule {
  const flags = rule.ignoreCase ? 'iu' : 'u';
  const path = rule.path !== undefined ? new RegExp(rule.path, flags) : null;
  const query = rule.query !== undefined ? new RegExp(rule.query, flags) : null;
  const headerName = rule.header?.name.toLowerCase() ?? null;
  const headerPattern = rule.header?.pattern !== undefined ? new RegExp(rule.header.pattern, flags) : null;
  const methods = rule.methods ? [...rule.methods] : null;
  return {
    index,
    reason: rule.reason ?? null,
    methods,
    matches(request: RequestFacts): boolean {
      if (methods !== null && !(methods as readonly string[]).includes(request.method)) return false;
      if (path !== null && !path.test(request.path)) return false;
      if (query !== null && !query.test(request.rawQuery) && !query.test(safeDecode(request.rawQuery))) return false;
      if (headerName !== null) {
        const value = request.headers[headerName];
        if (value === undefined) return false;
        if (headerPattern !== null && !(typeof value === 'string' ? [value] : value).some((v) => headerPattern.test(v))) return false;
      }
      return true;
    },
  };
}

function safeDecode(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}

function compileRequestRules(name: string, policy: RequestRulesPolicyConfig): CompiledRequestRulesPolicy {
  const deny = policy.deny.map(compileDenyRule);
  return {
    name,
    deny,
    firstDenied: (request) => deny.find((rule) => rule.matches(request)) ?? null,
  };
}

function compileCompression(name: string, policy: CompressionPolicyConfig): CompiledCompressionPolicy {
  const excludedTypes = [...new Set([...ALWAYS_UNCOMPRESSED_TYPES, ...(policy.excludeTypes ?? [])])];
  const exact = new Set(excludedTypes.filter((t) => !t.endsWith('/*')));
  const families = excludedTypes.filter((t) => t.endsWith('/*')).map((t) => t.slice(0, -1));
  return {
    name,
    encodings: [...(policy.encodings ?? DEFAULTS.compression.encodings)],
    minBytes: policy.minBytes ?? DEFAULTS.compression.minBytes,
    excludedTypes,
    compressible(contentType) {
      if (!contentType) return false;
      const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
      return type !== '' && !exact.has(type) && !families.some((f) => type.startsWith(f));
    },
  };
}
