import { BUILT_IN_PATHS, DEFAULTS } from '../defaults';
import { patternText } from '../path-pattern';
import type { ProblemList } from '../problems';
import type { HttpMethod } from '../types/cluster-config.types';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { RouteConfig } from '../types/route-config.types';
import { asArray, asString, isRecord, routesOf } from './config-view';

/**
 * Two routes that would match the same requests at the same precedence are an error: same path
 * pattern, same `match.order`, same header conditions and at least one method in common. (Routes
 * differing in any of these are ordered by the documented precedence.) Also refuses routes on the
 * paths the gateway serves itself.
 */
export function checkRouteConflicts(config: GatewayConfigFile, problems: ProblemList): void {
  const byKey = new Map<string, { index: number; id: string; methods: readonly string[] | null }[]>();
  for (const { index, route, pattern } of routesOf(config)) {
    if (!pattern || !isRecord(route.match)) continue;
    const key = `${patternText(pattern)}\u0000${orderOf(route)}\u0000${headerKey(route)}`;
    const methods = Array.isArray(route.match.methods) ? route.match.methods : null;
    const earlier = byKey.get(key) ?? [];
    for (const other of earlier) {
      const common = overlap(methods, other.methods);
      if (common.length > 0) {
        const what = common.length === ALL.length ? 'every method' : common.join(', ');
        problems.add(['routes', index, 'match'], `matches the same requests as route "${other.id}" (routes[${other.index}]) at the same precedence (${patternText(pattern)}, order ${orderOf(route)}, ${what}): set match.order or narrow methods/headers`);
        break;
      }
    }
    earlier.push({ index, id: asString(route.id) ?? '?', methods });
    byKey.set(key, earlier);
  }
  checkReservedPaths(config, problems);
}

const ALL: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function overlap(a: readonly string[] | null, b: readonly string[] | null): string[] {
  const left = a ?? ALL;
  const right = b ?? ALL;
  return left.filter((m) => right.includes(m));
}

function orderOf(route: RouteConfig): number {
  return typeof route.match.order === 'number' ? route.match.order : DEFAULTS.route.order;
}

/** Header conditions in canonical form (names case-insensitive, order-independent). */
export function headerKey(route: RouteConfig): string {
  return asArray<{ name?: unknown; values?: unknown }>(isRecord(route.match) ? route.match.headers : undefined)
    .filter(isRecord)
    .map((h) => `${String(h.name).toLowerCase()}=${Array.isArray(h.values) ? [...h.values].map(String).sort().join('|') : '*'}`)
    .sort()
    .join('&');
}

function checkReservedPaths(config: GatewayConfigFile, problems: ProblemList): void {
  const exact: string[] = [...BUILT_IN_PATHS];
  if (isRecord(config.openapi)) {
    exact.push(asString(config.openapi.path) ?? DEFAULTS.openapi.path, asString(config.openapi.docsPath) ?? DEFAULTS.openapi.docsPath);
  }
  const admin = isRecord(config.server) && isRecord(config.server.admin) ? (asString(config.server.admin.basePath) ?? DEFAULTS.server.admin.basePath) : undefined;
  for (const { index, pattern } of routesOf(config)) {
    if (!pattern) continue;
    const path = pattern.kind === 'exact' ? pattern.path : pattern.prefix;
    const at = ['routes', index, 'match', 'path'] as const;
    if (exact.includes(path)) problems.add([...at], `${path} is served by the gateway itself; a route there would never be reached`);
    else if (admin !== undefined && (path === admin || path.startsWith(`${admin}/`))) problems.add([...at], `${admin} is reserved for the admin endpoints (server.admin.basePath)`);
  }
}
