import { DEFAULTS } from './defaults';
import { backoffCeilingMs, resolveRetries } from './resolve-cluster';
import type { CompiledCluster, CompiledDestination } from './types/compiled-config.types';
import type { ClusterConfig } from './types/cluster-config.types';

const D = DEFAULTS.cluster;

export function compileCluster(id: string, cluster: ClusterConfig): CompiledCluster {
  const retries = resolveRetries(cluster);
  const statuses = retries.on.filter((c): c is 502 | 503 | 504 => typeof c === 'number');
  const breaker = { ...D.breaker, ...cluster.breaker };
  const passive = { ...D.passiveHealth, ...cluster.healthChecks?.passive };
  const active = cluster.healthChecks?.active;
  return {
    id,
    kind: cluster.kind,
    destinations: Object.entries(cluster.destinations).map(([destinationId, d]) => destination(destinationId, d.url, d.weight ?? D.destinationWeight)),
    loadBalancing: cluster.loadBalancing ?? D.loadBalancing,
    pool: { ...D.pool, ...cluster.pool },
    timeouts: { connectMs: cluster.timeouts?.connectMs ?? D.timeouts.connectMs, perTryMs: cluster.timeouts?.perTryMs ?? null, bodyIdleMs: cluster.timeouts?.bodyIdleMs ?? D.timeouts.bodyIdleMs },
    retries: {
      ...retries,
      on: [...retries.on],
      methods: [...retries.methods],
      onConnectFailure: retries.on.includes('connect-failure'),
      onReset: retries.on.includes('reset'),
      onStatuses: statuses,
      onPerTryTimeout: statuses.includes(504),
      backoffCeilingMs: (retry) => backoffCeilingMs(retries, retry),
    },
    breaker: breaker.enabled
      ? {
          failureRatePercent: breaker.failureRatePercent,
          minimumRequests: breaker.minimumRequests,
          windowMs: breaker.windowMs,
          openMs: breaker.openMs,
          halfOpenTrials: breaker.halfOpenTrials,
        }
      : null,
    concurrency: { ...D.concurrency, ...cluster.concurrency },
    healthChecks: {
      active: active
        ? { path: active.path, intervalMs: active.intervalMs ?? D.activeHealth.intervalMs, timeoutMs: active.timeoutMs ?? D.activeHealth.timeoutMs }
        : null,
      passive: passive.enabled
        ? { consecutiveFailures: passive.consecutiveFailures, ejectionMs: passive.ejectionMs, maxEjectedPercent: passive.maxEjectedPercent }
        : null,
    },
  };
}

function destination(id: string, url: string, weight: number): CompiledDestination {
  const parsed = new URL(url);
  const protocol = parsed.protocol === 'https:' ? 'https:' : 'http:';
  return {
    id,
    origin: parsed.origin,
    protocol,
    hostname: parsed.hostname,
    port: parsed.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(parsed.port),
    weight,
  };
}
