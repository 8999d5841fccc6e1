import { contentHash } from './canonical-json';
import { compileCluster } from './compile-cluster';
import { compilePolicies } from './compile-policies';
import { compileRoute } from './compile-route';
import { cidrSet } from './cidr';
import { BUILT_IN_PATHS, DEFAULTS } from './defaults';
import { deepFreeze, record } from './deep-freeze';
import { headerNameMatcher } from './header-patterns';
import { buildRouteMatcher, byPrecedence } from './route-matcher';
import type { CompiledAdmin, CompiledGatewayConfig, CompiledOpenApi, CompiledPolicies, CompiledServer } from './types/compiled-config.types';
import type { GatewayConfigFile, ServerConfig } from './types/gateway-config.types';

/**
 * Compiles a configuration that passed `validateGatewayConfig`'s checks into the immutable
 * runtime model. Everything a request would otherwise look up or parse is done here, once.
 * Throws on input that was not validated (use validateGatewayConfig, which calls this).
 */
export function compileGatewayConfig(file: GatewayConfigFile): CompiledGatewayConfig {
  const source = deepFreeze(structuredClone(file));
  const version = contentHash(source);
  const policies = compilePolicies(source.policies);
  const clusters = record(Object.entries(source.clusters).map(([id, c]) => [id, compileCluster(id, c)] as const));
  const limits = { ...DEFAULTS.server.limits, ...source.server?.limits };
  const routes = source.routes.map((route, index) => compileRoute(route, index, { clusters, policies, limits })).sort(byPrecedence);
  const openapi = compileOpenApi(source, clusters);
  return deepFreeze({
    version,
    source,
    server: compileServer(source.server ?? {}, policies),
    clusters,
    policies,
    routes,
    matcher: buildRouteMatcher(routes),
    openapi,
    reservedPaths: [...BUILT_IN_PATHS, ...(openapi ? [openapi.path, openapi.docsPath] : [])],
  });
}

function compileServer(server: ServerConfig, policies: CompiledPolicies): CompiledServer {
  const S = DEFAULTS.server;
  const https = server.https;
  const identityHeaders = Object.values(policies.auth).flatMap((p) => (p.kind === 'jwt' ? [p.identityHeaders.user, p.identityHeaders.tenant] : []));
  return {
    http: { ...S.http, ...server.http },
    https:
      https && https.cert && https.key
        ? { host: https.host ?? S.https.host, port: https.port ?? S.https.port, certFile: https.cert, keyFile: https.key, http2: https.http2 ?? S.https.http2 }
        : null,
    trustedProxies: cidrSet(server.trustedProxies ?? []),
    allowPathParameters: (server.pathParameters ?? S.pathParameters) === 'forward',
    limits: { ...S.limits, ...server.limits },
    // Headers the gateway sets itself are stripped from clients too, so that none can be forged.
    stripRequestHeaders: headerNameMatcher([...(server.stripIdentityHeaders ?? S.stripIdentityHeaders), ...identityHeaders.filter((h): h is string => h !== null)]),
    admin: compileAdmin(server, policies),
    tokenExchange: server.tokenExchange ? { ...server.tokenExchange } : null,
  };
}

function compileAdmin(server: ServerConfig, policies: CompiledPolicies): CompiledAdmin | null {
  const admin = server.admin;
  if (!admin) return null;
  const ipRules = admin.ipRules !== undefined ? (policies.ipRules[admin.ipRules] ?? null) : null;
  const basePath = admin.basePath ?? DEFAULTS.server.admin.basePath;
  if (admin.tokenEnv !== undefined) return { basePath, auth: { kind: 'static-token', tokenEnv: admin.tokenEnv }, ipRules };
  const policy = admin.auth !== undefined ? policies.auth[admin.auth] : undefined;
  if (!policy || policy.kind !== 'jwt') throw new Error('server.admin needs a JWT auth policy or tokenEnv');
  return { basePath, auth: { kind: 'jwt', policy, scopes: [...(admin.scopes ?? [])] }, ipRules };
}

function compileOpenApi(source: GatewayConfigFile, clusters: CompiledGatewayConfig['clusters']): CompiledOpenApi | null {
  const o = source.openapi;
  if (!o) return null;
  const O = DEFAULTS.openapi;
  return {
    path: o.path ?? O.path,
    docsPath: o.docsPath ?? O.docsPath,
    title: o.title ?? O.title,
    version: o.version ?? O.version,
    servers: [...(o.servers ?? [])],
    sources: o.sources.map((s) => {
      const cluster = clusters[s.cluster];
      if (!cluster) throw new Error(`openapi.sources: unknown cluster "${s.cluster}"`);
      return { cluster, path: s.path, fetchTimeoutMs: s.fetchTimeoutMs ?? O.fetchTimeoutMs, required: s.required ?? O.required };
    }),
  };
}
