import type { CompiledCluster } from '@edge/gateway-config';
import type { ClusterSettings, RetryOn } from '@edge/gateway-proxy';

/**
 * The compiled config's cluster → the proxy's settings. The retry budget is Envoy's
 * concurrency form (retries in flight ≤ ratio × requests in flight); the config's
 * `minPerSecond` floor becomes the minimum concurrent retries.
 */
export function clusterSettings(cluster: CompiledCluster): ClusterSettings {
  const r = cluster.retries;
  const on = new Set<RetryOn>();
  if (r.onConnectFailure) on.add('connect-failure');
  if (r.onReset) on.add('reset');
  for (const status of r.onStatuses) on.add(String(status) as RetryOn);
  const passive = cluster.healthChecks.passive;
  return {
    id: cluster.id,
    kind: cluster.kind,
    destinations: cluster.destinations.filter((d) => d.weight > 0).map((d) => ({ id: d.id, url: d.origin, weight: d.weight })),
    loadBalancing: cluster.loadBalancing,
    pool: cluster.pool,
    timeouts: { connectMs: cluster.timeouts.connectMs, perTryMs: cluster.timeouts.perTryMs ?? Infinity, bodyIdleMs: cluster.timeouts.bodyIdleMs },
    retries:
      r.maxAttempts > 1
        ? { attempts: r.maxAttempts, on, baseDelayMs: r.backoff.baseMs, maxDelayMs: r.backoff.maxMs, budget: { ratio: r.budget.ratio, minConcurrent: Math.max(1, r.budget.minPerSecond) } }
        : undefined,
    breaker: cluster.breaker
      ? {
          errorThresholdPercentage: cluster.breaker.failureRatePercent,
          volumeThreshold: cluster.breaker.minimumRequests,
          rollingCountTimeoutMs: cluster.breaker.windowMs,
          resetTimeoutMs: cluster.breaker.openMs,
        }
      : undefined,
    concurrency: cluster.concurrency,
    outlier: passive ?? undefined,
    healthCheck: cluster.healthChecks.active ?? undefined,
  };
}
