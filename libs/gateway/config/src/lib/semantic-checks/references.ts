import type { PathSegment, ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, isRecord, type PolicyKind, POLICY_KINDS, policiesOf, routesOf } from './config-view';
import { unknownName } from './did-you-mean';

const POLICY_WORD: Record<PolicyKind, string> = {
  auth: 'auth policy',
  rateLimits: 'rate limit policy',
  cache: 'cache policy',
  cors: 'cors policy',
  ipRules: 'ipRules policy',
  securityHeaders: 'securityHeaders policy',
  transforms: 'transforms policy',
  requestRules: 'requestRules policy',
  compression: 'compression policy',
};

/** Every name a route, the admin endpoint or the portal uses refers to something defined. */
export function checkReferences(config: GatewayConfigFile, problems: ProblemList): void {
  const clusters = isRecord(config.clusters) ? Object.keys(config.clusters) : [];
  const policyNames = Object.fromEntries(POLICY_KINDS.map((kind) => [kind, policiesOf(config, kind).map(([name]) => name)])) as Record<PolicyKind, string[]>;

  const cluster = (path: PathSegment[], id: unknown): void => {
    if (typeof id === 'string' && !clusters.includes(id)) problems.add(path, unknownName('cluster', id, clusters));
  };
  const policy = (path: PathSegment[], kind: PolicyKind, name: unknown): void => {
    if (typeof name === 'string' && !policyNames[kind].includes(name)) problems.add(path, unknownName(POLICY_WORD[kind], name, policyNames[kind]));
  };

  for (const { index, route } of routesOf(config)) {
    const at: PathSegment[] = ['routes', index];
    cluster([...at, 'cluster'], route.cluster);
    asArray<{ cluster?: unknown }>(route.weightedClusters).forEach((w, j) => isRecord(w) && cluster([...at, 'weightedClusters', j, 'cluster'], w.cluster));
    if (isRecord(route.aggregate)) {
      asArray<{ cluster?: unknown }>(route.aggregate.parts).forEach((p, j) => isRecord(p) && cluster([...at, 'aggregate', 'parts', j, 'cluster'], p.cluster));
    }
    for (const kind of POLICY_KINDS) {
      if (kind === 'rateLimits') asArray<unknown>(route.rateLimits).forEach((name, j) => policy([...at, 'rateLimits', j], kind, name));
      else policy([...at, kind], kind, route[kind]);
    }
  }
  const admin = isRecord(config.server) && isRecord(config.server.admin) ? config.server.admin : undefined;
  if (admin) {
    policy(['server', 'admin', 'auth'], 'auth', admin.auth);
    policy(['server', 'admin', 'ipRules'], 'ipRules', admin.ipRules);
  }
  if (isRecord(config.openapi)) {
    asArray<{ cluster?: unknown }>(config.openapi.sources).forEach((s, j) => isRecord(s) && cluster(['openapi', 'sources', j, 'cluster'], s.cluster));
  }
}
