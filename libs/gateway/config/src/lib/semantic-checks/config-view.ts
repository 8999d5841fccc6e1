/**
 * Read-only views over a configuration that may not have passed the schema (semantic checks
 * run anyway, so that one run reports every problem): anything of the wrong shape is skipped,
 * the schema problems already say why.
 */
import { DEFAULTS } from '../defaults';
import { type PathPattern, parsePathPattern } from '../path-pattern';
import type { ClusterConfig } from '../types/cluster-config.types';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { AuthPolicyConfig, PoliciesConfig } from '../types/policy-config.types';
import type { RouteConfig } from '../types/route-config.types';

export type PolicyKind = keyof PoliciesConfig;

export const POLICY_KINDS: readonly PolicyKind[] = ['auth', 'rateLimits', 'cache', 'cors', 'ipRules', 'securityHeaders', 'transforms', 'requestRules', 'compression'];

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const asArray = <T>(value: T[] | undefined | unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function entries<T>(value: Record<string, T> | undefined | unknown): [string, T][] {
  return isRecord(value) ? (Object.entries(value).filter(([, v]) => isRecord(v)) as [string, T][]) : [];
}

export interface RouteView {
  index: number;
  route: RouteConfig;
  /** undefined when the path pattern is invalid (reported by the route checks). */
  pattern: PathPattern | undefined;
}

export function routesOf(config: GatewayConfigFile): RouteView[] {
  return asArray<unknown>(config.routes).flatMap((route, index) => {
    if (!isRecord(route)) return [];
    const r = route as unknown as RouteConfig;
    const path = isRecord(r.match) ? asString(r.match.path) : undefined;
    const parsed = path !== undefined ? parsePathPattern(path) : undefined;
    return [{ index, route: r, pattern: parsed?.ok ? parsed.value : undefined }];
  });
}

export function clusterOf(config: GatewayConfigFile, id: unknown): ClusterConfig | undefined {
  if (typeof id !== 'string' || !isRecord(config.clusters) || !Object.hasOwn(config.clusters, id)) return undefined;
  const cluster = config.clusters[id];
  return isRecord(cluster) ? cluster : undefined;
}

export function policiesOf<K extends PolicyKind>(config: GatewayConfigFile, kind: K): [string, NonNullable<PoliciesConfig[K]>[string]][] {
  return entries(isRecord(config.policies) ? config.policies[kind] : undefined);
}

export function policyOf<K extends PolicyKind>(config: GatewayConfigFile, kind: K, name: unknown): NonNullable<PoliciesConfig[K]>[string] | undefined {
  if (typeof name !== 'string' || !isRecord(config.policies)) return undefined;
  const map = config.policies[kind];
  if (!isRecord(map) || !Object.hasOwn(map, name)) return undefined;
  const policy = map[name];
  return isRecord(policy) ? (policy as unknown as NonNullable<PoliciesConfig[K]>[string]) : undefined;
}

export const isAnonymous = (policy: AuthPolicyConfig | undefined): boolean => policy?.anonymous === true;

/** Clusters a route sends requests to directly (not the aggregate parts). */
export function routeClusterIds(route: RouteConfig): string[] {
  if (typeof route.cluster === 'string') return [route.cluster];
  return asArray<{ cluster?: unknown }>(route.weightedClusters).flatMap((w) => (isRecord(w) && typeof w.cluster === 'string' ? [w.cluster] : []));
}

export function routeTimeoutMs(config: GatewayConfigFile, route: RouteConfig): number {
  if (typeof route.timeoutMs === 'number') return route.timeoutMs;
  const limits = isRecord(config.server) && isRecord(config.server.limits) ? config.server.limits : {};
  return typeof limits.defaultRouteTimeoutMs === 'number' ? limits.defaultRouteTimeoutMs : DEFAULTS.server.limits.defaultRouteTimeoutMs;
}
