import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, entries, isRecord, routesOf } from './config-view';

/**
 * Ids that must be unique where maps cannot enforce it: route ids, aggregate part keys, canary
 * clusters, and destination URLs (two destination ids for one URL double its share silently).
 * Destination ids themselves are map keys: YAML rejects a repeated key when the file is parsed.
 */
export function checkUniqueIds(config: GatewayConfigFile, problems: ProblemList): void {
  const firstRoute = new Map<string, number>();
  for (const { index, route } of routesOf(config)) {
    if (typeof route.id === 'string') {
      const first = firstRoute.get(route.id);
      if (first === undefined) firstRoute.set(route.id, index);
      else problems.add(['routes', index, 'id'], `duplicate route id "${route.id}" (also routes[${first}])`);
    }
    duplicates(asArray<{ cluster?: unknown }>(route.weightedClusters).map((w) => (isRecord(w) ? w.cluster : undefined)), (j, value, first) =>
      problems.add(['routes', index, 'weightedClusters', j, 'cluster'], `cluster "${value}" is listed twice (also weightedClusters[${first}])`),
    );
    if (isRecord(route.aggregate)) {
      duplicates(asArray<{ key?: unknown }>(route.aggregate.parts).map((p) => (isRecord(p) ? p.key : undefined)), (j, value, first) =>
        problems.add(['routes', index, 'aggregate', 'parts', j, 'key'], `duplicate part key "${value}" (also parts[${first}])`),
      );
    }
  }
  for (const [clusterId, cluster] of entries<Record<string, unknown>>(config.clusters)) {
    const seen = new Map<string, string>();
    for (const [destinationId, destination] of entries<{ url?: unknown }>(cluster['destinations'])) {
      if (typeof destination.url !== 'string') continue;
      const key = normaliseUrl(destination.url);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, destinationId);
      else problems.add(['clusters', clusterId, 'destinations', destinationId, 'url'], `same URL as destination "${first}"`);
    }
  }
}

function duplicates(values: unknown[], report: (index: number, value: string, first: number) => void): void {
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    if (typeof value !== 'string') return;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else report(index, value, first);
  });
}

function normaliseUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
