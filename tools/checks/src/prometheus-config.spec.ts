import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IService } from 'kubernetes-models/v1/Service';
import { parse as parseYaml } from 'yaml';
import { ofKind, renderOverlay, workspaceRoot } from './k8s/render-overlay';
import { exportedMetrics, metricNamesIn, seriesNames } from './observability/metric-names';

const dir = path.join(workspaceRoot, 'docker/prometheus');

function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  if (run.error) throw new Error("promtool is not installed: install Debian's prometheus package (apt-get install prometheus; .ci/run does it)");
  return run;
}

interface Rule {
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

const rules = (parseYaml(readFileSync(path.join(dir, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe('Prometheus configuration', () => {
  it('passes promtool check config (scrape config and the rule files it names)', () => {
    const run = promtool('check', 'config', 'prometheus.yml');
    expect(run.stdout + run.stderr).toContain('SUCCESS: prometheus.yml is valid');
    expect(run.status).toBe(0);
  });

  it('passes promtool check rules and its unit tests', () => {
    const check = promtool('check', 'rules', 'alerts.yml');
    expect(check.status).toBe(0);
    const test = promtool('test', 'rules', 'alerts.test.yml');
    expect(test.stdout + test.stderr).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  it('alerts on error rate, p99 latency, open breakers, a failing rate-limit store and 5xx from dependencies, each unit-tested', () => {
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'EdgeServiceHighErrorRate',
        'GatewayRouteHighErrorRate',
        'EdgeServiceHighLatencyP99',
        'GatewayRouteHighLatencyP99',
        'GatewayCircuitOpen',
        'DependencyCircuitOpen',
        'GatewayRateLimitStoreDownFailOpen',
        'GatewayRateLimitStoreDownFailClosed',
        'GatewayUpstreamErrors',
        'DependencyServerErrors',
      ]),
    );
    const tests = (parseYaml(readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] }).tests;
    const firingInTests = new Set(tests.flatMap((t) => (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname)));
    for (const rule of rules) {
      expect({ alert: rule.alert, severity: rule.labels?.['severity'], summary: typeof rule.annotations?.['summary'], tested: firingInTests.has(rule.alert ?? '') }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(warning|critical)$/),
        summary: 'string',
        tested: true,
      });
    }
  });

  it('reads only metrics the apps export', async () => {
    const known = seriesNames(await exportedMetrics(workspaceRoot));
    const used = new Set(rules.flatMap((r) => metricNamesIn(r.expr)));
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((name) => !known.has(name))).toEqual([]);
  });

  it('discovers the headless metrics Service of each Kubernetes overlay, under the job the alerts watch', () => {
    const config = parseYaml(readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')) as { scrape_configs: { job_name: string; dns_sd_configs?: { names: string[] }[] }[] };
    const job = config.scrape_configs.find((c) => c.job_name === 'edge-platform');
    expect(rules.find((r) => r.alert === 'EdgeTargetDown')?.expr).toContain('job="edge-platform"');
    const names = (job?.dns_sd_configs ?? []).flatMap((d) => d.names);
    for (const overlay of ['dev', 'prod']) {
      const objects = renderOverlay(overlay);
      const service = ofKind<IService>(objects, 'Service').find((s) => s.metadata.name === 'edge-metrics');
      expect(service?.spec?.clusterIP).toBe('None');
      expect(service?.spec?.publishNotReadyAddresses).toBe(true);
      expect(service?.spec?.ports?.map((p) => [p.name, p.targetPort])).toEqual([['http', 'http']]);
      expect(names).toContain(`_http._tcp.edge-metrics.${service?.metadata.namespace}.svc.cluster.local`);
      // Every app pod is a target; Redis is not (it has no /metrics).
      const selector = service?.spec?.selector ?? {};
      const targets = objects
        .filter((o) => o.kind === 'Deployment')
        .filter((d) => {
          const labels = (d as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels;
          return Object.entries(selector).every(([k, v]) => labels[k] === v);
        })
        .map((d) => d.metadata.name);
      const apps = objects.filter((o) => o.kind === 'Deployment' && o.metadata.name !== 'redis').map((o) => o.metadata.name);
      expect(targets.sort()).toEqual(apps.sort());
    }
  });
});
