import { upstreamPathProblem } from '../path-pattern';
import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, asString, entries, isRecord } from './config-view';

/**
 * Destinations are origins (`http(s)://host:port`): a path or credentials in a destination URL
 * would hide routing inside the cluster. Paths sent to a cluster outside of routes (health
 * probes, OpenAPI sources) must stay on its destinations.
 */
export function checkDestinations(config: GatewayConfigFile, problems: ProblemList): void {
  for (const [id, cluster] of entries<Record<string, unknown>>(config.clusters)) {
    const destinations = entries<{ url?: unknown; weight?: unknown }>(cluster['destinations']);
    for (const [destinationId, destination] of destinations) {
      const url = asString(destination.url);
      if (url === undefined) continue;
      const problem = originProblem(url);
      if (problem) problems.add(['clusters', id, 'destinations', destinationId, 'url'], problem);
    }
    if (destinations.length > 0 && destinations.every(([, d]) => d.weight === 0)) {
      problems.add(['clusters', id, 'destinations'], 'every destination has weight 0: the cluster could serve nothing');
    }
    const active = isRecord(cluster['healthChecks']) && isRecord(cluster['healthChecks']['active']) ? cluster['healthChecks']['active'] : undefined;
    const probe = asString(active?.['path']);
    if (probe !== undefined) {
      const problem = upstreamPathProblem(probe, { allowQuery: true });
      if (problem) problems.add(['clusters', id, 'healthChecks', 'active', 'path'], problem);
    }
  }
  if (isRecord(config.openapi)) {
    asArray<{ path?: unknown }>(config.openapi.sources).forEach((source, j) => {
      const path = isRecord(source) ? asString(source.path) : undefined;
      const problem = path === undefined ? undefined : upstreamPathProblem(path, { allowQuery: true });
      if (problem) problems.add(['openapi', 'sources', j, 'path'], problem);
    });
  }
}

export function originProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http:// or https:// URL';
  if (parsed.username !== '' || parsed.password !== '') return 'must not contain credentials';
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(url)) {
    return `must be an origin only (${parsed.origin}): paths belong to routes (rewrite), not to destinations`;
  }
  return undefined;
}
