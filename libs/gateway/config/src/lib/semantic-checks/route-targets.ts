import { parsePathPattern } from '../path-pattern';
import type { ProblemList } from '../problems';
import { rewriteProblems } from '../rewrite';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, isRecord, routesOf } from './config-view';

/** Each route has a valid path pattern, exactly one target, and a rewrite that fits its pattern. */
export function checkRouteTargets(config: GatewayConfigFile, problems: ProblemList): void {
  for (const { index, route, pattern } of routesOf(config)) {
    const at = ['routes', index] as const;
    const path = isRecord(route.match) ? route.match.path : undefined;
    if (typeof path === 'string') {
      const parsed = parsePathPattern(path);
      if (!parsed.ok) problems.add([...at, 'match', 'path'], `invalid path pattern "${path}": ${parsed.message}`);
    }

    const targets = (['cluster', 'weightedClusters', 'aggregate'] as const).filter((k) => route[k] !== undefined);
    if (targets.length !== 1) {
      problems.add([...at], targets.length === 0 ? 'needs a target: cluster, weightedClusters or aggregate' : `has several targets (${targets.join(', ')}): use exactly one`);
    }
    const weights = asArray<{ weight?: unknown }>(route.weightedClusters).map((w) => (isRecord(w) && typeof w.weight === 'number' ? w.weight : 0));
    if (weights.length > 0 && weights.every((w) => w === 0)) problems.add([...at, 'weightedClusters'], 'at least one weight must be > 0');

    if (isRecord(route.rewrite)) {
      if (route.aggregate !== undefined) problems.add([...at, 'rewrite'], 'an aggregate route has no single upstream path to rewrite (each part has its own path)');
      for (const [key, message] of rewriteProblems(route.rewrite, pattern)) problems.add(key ? [...at, 'rewrite', key] : [...at, 'rewrite'], message);
    }
  }
}
