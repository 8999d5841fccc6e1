import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

/**
 * Every metric the apps can export: the prom-client metrics declared in apps/ and libs/
 * (`new Counter({ name: '...' })` ..., and @edge/observability's FastHistogram) and prom-client's
 * default process/Node.js metrics.
 */
export async function exportedMetrics(root: string): Promise<Map<string, MetricType>> {
  const metrics = new Map<string, MetricType>();
  const declaration = /new (Counter|Gauge|Histogram|Summary|FastHistogram)(?:<[^>]*>)?\(\s*\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g;
  for (const file of [...sourceFiles(path.join(root, 'apps')), ...sourceFiles(path.join(root, 'libs'))]) {
    for (const [, type, name] of readFileSync(file, 'utf8').matchAll(declaration)) {
      metrics.set(name as string, type === 'FastHistogram' ? 'histogram' : ((type as string).toLowerCase() as MetricType));
    }
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // The typings say enum; at run time the type is the exposition format's word ("counter" ...).
  for (const metric of await registry.getMetricsAsJSON()) metrics.set(metric.name, String(metric.type) as MetricType);
  return metrics;
}

/** The series names a metric exposes (histograms and summaries add suffixed series). */
export function seriesNames(metrics: ReadonlyMap<string, MetricType>): Set<string> {
  const names = new Set<string>(['up']);
  for (const [name, type] of metrics) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names a PromQL expression reads. Small on purpose: strings, label matchers,
 * grouping clauses and ranges are removed first; what is left that is not a function call,
 * a keyword or a number is a metric name. Grafana's `$variables` are dropped too, and so is the
 * label argument of its `label_values(metric, label)`.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/label_values\(([^,]*),\s*[A-Za-z_]\w*\s*\)/g, '($1)')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b\d[\w.+-]*/g, ' ')
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = match[0];
    const after = stripped.slice((match.index ?? 0) + name.length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}
