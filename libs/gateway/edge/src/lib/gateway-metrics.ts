import { Counter, Gauge } from 'prom-client';
import { FastHistogram, metricsRegistry, resendCountLabel, statusClass } from '@edge/observability';
import type { ClusterObserver } from '@edge/gateway-proxy';

/** Gateway metrics: per route and per cluster, labels bounded by configuration (ids), never raw paths. */
export const gatewayMetrics = {
  // The two histograms observed on every request are allocation-free (see FastHistogram).
  requests: new FastHistogram({
    name: 'gateway_request_duration_seconds',
    help: 'Requests through the gateway, by route id, cluster and status class',
    labelNames: ['route', 'cluster', 'status_class'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [metricsRegistry],
  }),
  upstream: new FastHistogram({
    name: 'gateway_upstream_attempt_duration_seconds',
    help: 'Upstream attempts, by cluster, outcome (status class or error kind) and resend count',
    labelNames: ['cluster', 'outcome', 'resend_count'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [metricsRegistry],
  }),
  upstreamErrors: new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Upstream failures by cluster and kind',
    labelNames: ['cluster', 'kind'] as const,
    registers: [metricsRegistry],
  }),
  retries: new Counter({
    name: 'gateway_retries_total',
    help: 'Retries by cluster and reason',
    labelNames: ['cluster', 'reason'] as const,
    registers: [metricsRegistry],
  }),
  breaker: new Gauge({
    name: 'gateway_breaker_state',
    help: 'Circuit state per cluster: 0 closed, 1 half-open, 2 open',
    labelNames: ['cluster'] as const,
    registers: [metricsRegistry],
  }),
  ejections: new Counter({
    name: 'gateway_outlier_ejections_total',
    help: 'Destinations ejected by passive health checks',
    labelNames: ['cluster', 'destination'] as const,
    registers: [metricsRegistry],
  }),
  rejected: new Counter({
    name: 'gateway_rejected_requests_total',
    help: 'Requests refused at the edge, by reason (problem code)',
    labelNames: ['reason'] as const,
    registers: [metricsRegistry],
  }),
  clusterConnections: new Gauge({
    name: 'gateway_cluster_connections',
    help: 'Upstream pools per cluster: connected sockets, requests running and pending in the pools, requests in flight and queued at the bulkhead',
    labelNames: ['cluster', 'state'] as const,
    registers: [metricsRegistry],
  }),
  ejectedDestinations: new Gauge({
    name: 'gateway_ejected_destinations',
    help: 'Destinations currently ejected by passive health checks, per cluster',
    labelNames: ['cluster'] as const,
    registers: [metricsRegistry],
  }),
  configInfo: new Gauge({
    name: 'gateway_config_info',
    help: 'The active configuration version (value 1)',
    labelNames: ['version'] as const,
    registers: [metricsRegistry],
  }),
  reloads: new Counter({
    name: 'gateway_config_reloads_total',
    help: 'Configuration reload attempts by result',
    labelNames: ['result'] as const,
    registers: [metricsRegistry],
  }),
};

const breakerValue = { closed: 0, 'half-open': 1, open: 2 } as const;

export const metricsObserver: ClusterObserver = {
  attempt(cluster, _destination, outcome, seconds, resendCount) {
    const label = typeof outcome === 'number' ? statusClass(outcome) : outcome;
    gatewayMetrics.upstream.observe(seconds, cluster, label, resendCountLabel(resendCount));
    if (typeof outcome !== 'number') gatewayMetrics.upstreamErrors.inc({ cluster, kind: outcome });
    else if (outcome >= 500) gatewayMetrics.upstreamErrors.inc({ cluster, kind: 'status-5xx' });
  },
  retry(cluster, reason) {
    gatewayMetrics.retries.inc({ cluster, reason });
  },
  breakerState(cluster, state) {
    gatewayMetrics.breaker.set({ cluster }, breakerValue[state]);
  },
  ejected(cluster, destination) {
    gatewayMetrics.ejections.inc({ cluster, destination });
  },
};

/** Pool, queue and ejection gauges read at scrape time from the active runtime (no per-request cost). */
export function observeClusters(clusters: () => Iterable<{ settings: { id: string }; stats(): { connected: number; running: number; pending: number; inFlight: number; queued: number; ejected: number } }>): void {
  const collect = () => {
    gatewayMetrics.clusterConnections.reset();
    gatewayMetrics.ejectedDestinations.reset();
    for (const cluster of clusters()) {
      const s = cluster.stats();
      const id = cluster.settings.id;
      gatewayMetrics.clusterConnections.set({ cluster: id, state: 'connected' }, s.connected);
      gatewayMetrics.clusterConnections.set({ cluster: id, state: 'running' }, s.running);
      gatewayMetrics.clusterConnections.set({ cluster: id, state: 'pending' }, s.pending);
      gatewayMetrics.clusterConnections.set({ cluster: id, state: 'in-flight' }, s.inFlight);
      gatewayMetrics.clusterConnections.set({ cluster: id, state: 'queued' }, s.queued);
      gatewayMetrics.ejectedDestinations.set({ cluster: id }, s.ejected);
    }
  };
  // prom-client calls collect() on the gauge when /metrics is scraped.
  (gatewayMetrics.clusterConnections as unknown as { collect?: () => void }).collect = collect;
}
