import path from 'node:path';
import { exportedMetrics, metricNamesIn, seriesNames } from './metric-names';

describe('metric names', () => {
  it('reads the metric names of a PromQL expression, not its functions, labels or keywords', () => {
    const expr = `histogram_quantile(0.99, sum by (namespace, route, le) (rate(gateway_request_duration_seconds_bucket{route!~"/healthz|x_total"}[5m]))) > 2
      and sum without (pod) (rate(gateway_request_duration_seconds_count{route="$route"}[1m])) / on (cluster) group_left max(gateway_breaker_state) > 1e3 or up{job="edge"} == 0`;
    expect(metricNamesIn(expr).sort()).toEqual(['gateway_breaker_state', 'gateway_request_duration_seconds_bucket', 'gateway_request_duration_seconds_count', 'up']);
    expect(metricNamesIn('label_values(gateway_request_duration_seconds_count{namespace=~"$namespace"}, route)')).toEqual(['gateway_request_duration_seconds_count']);
    expect(metricNamesIn('sum(rate(http_server_request_duration_seconds_count{service=~"$service"}[$__rate_interval]))')).toEqual(['http_server_request_duration_seconds_count']);
  });

  it('knows the metrics the code declares, with their histogram series, and prom-client defaults', async () => {
    const metrics = await exportedMetrics(path.resolve(__dirname, '../../../..'));
    expect(metrics.get('gateway_request_duration_seconds')).toBe('histogram');
    expect(metrics.get('gateway_ratelimit_store_failures_total')).toBe('counter');
    expect(metrics.get('http_client_breaker_state')).toBe('gauge');
    const series = seriesNames(metrics);
    expect(series.has('http_server_request_duration_seconds_bucket')).toBe(true);
    expect(series.has('process_resident_memory_bytes')).toBe(true);
    expect(series.has('gateway_breaker_state_bucket')).toBe(false);
    expect(series.has('gateway_requests_total')).toBe(false);
  });
});
