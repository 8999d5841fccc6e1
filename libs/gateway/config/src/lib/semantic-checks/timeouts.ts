import type { PathSegment, ProblemList } from '../problems';
import { capAttempts, resolvePerTryMs, resolveRetries, worstCaseAttemptsMs } from '../resolve-cluster';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, clusterOf, entries, isRecord, routeClusterIds, routesOf, routeTimeoutMs } from './config-view';

/**
 * A timeout hierarchy that cannot work: the route deadline includes every attempt (Envoy's
 * rule), so with a per-try timeout, maxAttempts × perTryMs plus the backoff ceilings must fit
 * inside it, or the configured retries could never happen. Aggregate parts get their own deadline inside the
 * route's budget and the same rule applies to it.
 */
export function checkTimeouts(config: GatewayConfigFile, problems: ProblemList): void {
  for (const { index, route } of routesOf(config)) {
    const budget = routeTimeoutMs(config, route);
    const source = typeof route.timeoutMs === 'number' ? 'timeoutMs' : 'server.limits.defaultRouteTimeoutMs';
    for (const id of routeClusterIds(route)) {
      fits(config, problems, ['routes', index, 'timeoutMs'], `the route deadline (${source}) ${budget} ms`, budget, id, route.maxAttempts);
    }
    if (!isRecord(route.aggregate)) continue;
    asArray<{ cluster?: unknown; deadlineMs?: unknown; maxAttempts?: unknown }>(route.aggregate.parts).forEach((part, j) => {
      if (!isRecord(part)) return;
      const at: PathSegment[] = ['routes', index, 'aggregate', 'parts', j, 'deadlineMs'];
      const deadline = typeof part.deadlineMs === 'number' ? part.deadlineMs : budget;
      if (deadline > budget) problems.add(at, `${deadline} ms exceeds the route's budget of ${budget} ms (${source}); a part deadline lies inside it`);
      else if (typeof part.cluster === 'string') fits(config, problems, at, `the part deadline ${deadline} ms`, deadline, part.cluster, part.maxAttempts);
    });
  }

  for (const [id, cluster] of entries<Record<string, unknown>>(config.clusters)) {
    const health = isRecord(cluster['healthChecks']) && isRecord(cluster['healthChecks']['active']) ? cluster['healthChecks']['active'] : undefined;
    if (health && typeof health['timeoutMs'] === 'number' && typeof health['intervalMs'] === 'number' && health['timeoutMs'] >= health['intervalMs']) {
      problems.add(['clusters', id, 'healthChecks', 'active', 'timeoutMs'], `must be shorter than intervalMs (${health['intervalMs']} ms) so that probes do not overlap`);
    }
    const backoff = isRecord(cluster['retries']) && isRecord(cluster['retries']['backoff']) ? cluster['retries']['backoff'] : undefined;
    if (backoff && typeof backoff['baseMs'] === 'number' && typeof backoff['maxMs'] === 'number' && backoff['baseMs'] > backoff['maxMs']) {
      problems.add(['clusters', id, 'retries', 'backoff', 'baseMs'], `must not exceed maxMs (${backoff['maxMs']} ms)`);
    }
  }
}

function fits(config: GatewayConfigFile, problems: ProblemList, at: PathSegment[], what: string, budgetMs: number, clusterId: string, cap: unknown): void {
  const cluster = clusterOf(config, clusterId);
  if (!cluster) return;
  const retries = capAttempts(resolveRetries(cluster), typeof cap === 'number' ? cap : undefined);
  const perTryMs = resolvePerTryMs(cluster);
  if (retries.maxAttempts <= 1 || perTryMs === undefined) return;
  const { totalMs, backoffMs } = worstCaseAttemptsMs(retries, perTryMs);
  if (totalMs > budgetMs) {
    problems.add(
      at,
      `${what} cannot hold the retries of cluster "${clusterId}": ${retries.maxAttempts} attempts × perTryMs ${perTryMs} + backoff up to ${backoffMs} ms = ${totalMs} ms; raise the deadline, lower clusters.${clusterId}.timeouts.perTryMs, or cap maxAttempts here`,
    );
  }
}
