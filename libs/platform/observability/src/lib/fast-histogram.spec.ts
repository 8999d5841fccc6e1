import { Histogram, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram';

const buckets = [0.001, 0.01, 0.1, 1];

function pair(labelNames: readonly string[]) {
  const reference = new Registry();
  const fast = new Registry();
  for (const r of [reference, fast]) r.setDefaultLabels({ service: 'svc' });
  const h = new Histogram({ name: 'req_seconds', help: 'Requests', labelNames, buckets, registers: [reference] });
  const f = new FastHistogram({ name: 'req_seconds', help: 'Requests', labelNames, buckets, registers: [fast] });
  return { reference, fast, h, f };
}

describe('FastHistogram', () => {
  it('exposes exactly what a prom-client Histogram exposes for the same observations', async () => {
    const { reference, fast, h, f } = pair(['route', 'cluster', 'status_class']);
    const observations: [number, string, string, string][] = [
      [0.0005, 'items', 'up', '2xx'],
      [0.001, 'items', 'up', '2xx'], // on a bound: counted in that bucket (le is inclusive)
      [0.05, 'items', 'up', '5xx'],
      [3, 'orders', 'orders', '2xx'], // above every bound: only +Inf
      [0.2, 'items', 'up', '2xx'],
    ];
    for (const [v, route, cluster, status] of observations) {
      h.observe({ route, cluster, status_class: status }, v);
      f.observe(v, route, cluster, status);
    }
    expect(await fast.metrics()).toBe(await reference.metrics());
    expect(await fast.metrics()).toContain('req_seconds_bucket{le="0.001",service="svc",route="items",cluster="up",status_class="2xx"} 2');
  });

  it('works with one, two and four labels and keeps series apart', async () => {
    const all = ['method', 'route', 'status_class', 'resend_count'];
    for (const names of [all.slice(0, 1), all.slice(0, 2), all]) {
      const { reference, fast, h, f } = pair(names);
      for (const [v, ...values] of [
        [0.002, 'GET', '/a', '2xx', '0'],
        [0.02, 'POST', '/a', '2xx', '0'],
        [0.02, 'GET', '/b', '2xx', '0'],
        [0.5, 'GET', '/b', '5xx', '1'],
      ] as const) {
        h.observe(Object.fromEntries(names.map((n, i) => [n, values[i] as string])), v);
        f.observe(v, values[0], values[1], values[2], values[3]);
      }
      expect(await fast.metrics()).toBe(await reference.metrics());
    }
  });

  it('keeps series apart when observations for different label values interleave', async () => {
    const { reference, fast, h, f } = pair(['route', 'status_class']);
    for (const v of [0.0005, 0.05, 2]) {
      h.observe({ route: 'a', status_class: '2xx' }, v);
      f.observe(v, 'a', '2xx');
      h.observe({ route: 'b', status_class: '2xx' }, v / 2);
      f.observe(v / 2, 'b', '2xx');
    }
    h.observe({ route: 'a', status_class: '5xx' }, 0.3);
    f.observe(0.3, 'a', '5xx');
    expect(await fast.metrics()).toBe(await reference.metrics());
  });

  it('gives JSON consumers every label on every value, as prom-client does', async () => {
    const { reference, fast, h, f } = pair(['route']);
    h.observe({ route: 'a' }, 0.05);
    f.observe(0.05, 'a');
    // prom-client adds empty exemplar slots; there are none here.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((m) => ({ ...m, values: m.values.map((v) => ({ labels: v.labels, value: v.value, metricName: (v as { metricName?: string }).metricName })) }));
    expect(withoutExemplars(await fast.getMetricsAsJSON())).toEqual(withoutExemplars(await reference.getMetricsAsJSON()));
  });

  it('ignores values that are not finite numbers instead of throwing on the hot path', async () => {
    const { fast, f } = pair(['route']);
    f.observe(Number.NaN, 'a');
    f.observe(Number.POSITIVE_INFINITY, 'a');
    expect(await fast.metrics()).not.toContain('req_seconds_count');
  });

  it('resets to no series', async () => {
    const { fast, f } = pair(['route']);
    f.observe(0.5, 'a');
    f.reset();
    expect((await f.get()).values).toEqual([]);
    f.observe(0.5, 'b');
    expect(await fast.metrics()).toContain('req_seconds_count{service="svc",route="b"} 1');
  });

  it('refuses label counts it does not support and bad buckets', () => {
    expect(() => new FastHistogram({ name: 'a', help: 'a', labelNames: [], buckets, registers: [] })).toThrow(/one to four labels/);
    expect(() => new FastHistogram({ name: 'a', help: 'a', labelNames: ['a', 'b', 'c', 'd', 'e'], buckets, registers: [] })).toThrow(/one to four labels/);
    expect(() => new FastHistogram({ name: 'a', help: 'a', labelNames: ['a'], buckets: [1, 1], registers: [] })).toThrow(/distinct/);
  });
});
