import { readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from './k8s/render-overlay';
import { exportedMetrics, metricNamesIn, seriesNames } from './observability/metric-names';

interface Target {
  refId: string;
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid?: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: string | { query: string } }[] };
}

const dashboard = JSON.parse(readFileSync(path.join(workspaceRoot, 'docker/grafana/edge-platform-red.json'), 'utf8')) as Dashboard;
const graphs = dashboard.panels.filter((p) => p.type !== 'row');
const exprs = graphs.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

/** A panel kind of RED for one metric family, grouped by `by`. */
function has(kind: 'rate' | 'errors' | 'duration', family: string, by: string): boolean {
  const grouped = new RegExp(`by \\([^)]*\\b${by}\\b`);
  return exprs.some((e) => {
    if (!grouped.test(e) || !e.includes(family)) return false;
    switch (kind) {
      case 'rate':
        return e.includes(`rate(${family}_count`) && !e.includes(' / ') && !e.includes('histogram_quantile');
      case 'errors':
        return e.includes(' / ') && /status_class(=~?"[^"]*5xx|!~)|kind!~/.test(e);
      case 'duration':
        return e.includes(`histogram_quantile(0.99, sum by`) && e.includes(`${family}_bucket`);
    }
  });
}

describe('Grafana dashboard docker/grafana/edge-platform-red.json', () => {
  it('is a dashboard model Grafana can load: uid, title, unique panel ids, panels on a 24-column grid without overlaps', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect({ panel: p.title, cell: `${x},${y}`, free: !cells.has(`${x},${y}`) }).toEqual({ panel: p.title, cell: `${x},${y}`, free: true });
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('queries Prometheus through the data source variable, with defined variables only', () => {
    const variables = new Set(dashboard.templating.list.map((v) => v.name));
    expect(variables.has('datasource')).toBe(true);
    for (const p of graphs) {
      expect({ panel: p.title, uid: p.datasource?.uid, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, uid: '${datasource}', targets: true });
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1] as string)).filter((name) => !name.startsWith('__')));
    expect([...used].filter((name) => !variables.has(name))).toEqual([]);
  });

  it('reads only metrics the apps export (panels and variables)', async () => {
    const known = seriesNames(await exportedMetrics(workspaceRoot));
    const variableQueries = dashboard.templating.list.filter((v) => v.type === 'query').map((v) => (typeof v.query === 'string' ? v.query : v.query.query));
    const used = new Set([...exprs, ...variableQueries].flatMap(metricNamesIn));
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !known.has(name)).sort()).toEqual([]);
  });

  it('shows rate, errors and duration per gateway route, per app route, per gateway cluster and per BFF dependency', () => {
    const red = (family: string, by: string) => ({ family, by, rate: has('rate', family, by), errors: has('errors', family, by), duration: has('duration', family, by) });
    const expectRed = (family: string, by: string, errorsBy = by) =>
      expect({ ...red(family, by), errors: has('errors', family, errorsBy) }).toEqual({ family, by, rate: true, errors: true, duration: true });
    expectRed('gateway_request_duration_seconds', 'route');
    expectRed('http_server_request_duration_seconds', 'route', 'service');
    expectRed('http_client_request_duration_seconds', 'dependency');
    expect({ rate: has('rate', 'gateway_upstream_attempt_duration_seconds', 'cluster'), duration: has('duration', 'gateway_upstream_attempt_duration_seconds', 'cluster') }).toEqual({ rate: true, duration: true });
    expect(exprs.some((e) => e.includes('gateway_upstream_errors_total') && e.includes('by (cluster)') && e.includes(' / '))).toBe(true);
    // Breakers of both kinds are on the board.
    expect(exprs.some((e) => e.includes('gateway_breaker_state'))).toBe(true);
    expect(exprs.some((e) => e.includes('http_client_breaker_state'))).toBe(true);
  });
});
