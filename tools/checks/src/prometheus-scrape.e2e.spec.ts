import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApps, freePort, spawnApp, startEchoUpstream, workspaceRoot, type EchoUpstream, type SpawnedApp } from '@edge/testing';

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}
interface RuleGroup {
  rules: { name: string; health: string; lastError?: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read` returns something, or fails with what it saw last. */
async function eventually<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/**
 * A real Prometheus (Debian's binary) scrapes a real gateway under the production job name
 * and evaluates the production alert rules (docker/prometheus/alerts.yml) on what it
 * scraped: the target is up, the gateway's metrics arrive, every rule evaluates without
 * error, and the 5xx alerts of a route whose upstream is down become pending.
 */
describe('Prometheus scraping a running gateway', () => {
  let upstream: EchoUpstream;
  let gateway: SpawnedApp;
  let prometheus: ChildProcess;
  let prometheusUrl: string;
  let dir: string;
  let output = '';

  beforeAll(async () => {
    buildApps(['gateway']);
    dir = mkdtempSync(path.join(tmpdir(), 'prometheus-e2e-'));
    upstream = await startEchoUpstream();
    const deadPort = await freePort();
    const gatewayConfig = path.join(dir, 'gateway.yaml');
    writeFileSync(
      gatewayConfig,
      `version: 1
server:
  http: { host: 127.0.0.1, port: 0 }
clusters:
  live:
    kind: service
    destinations: { primary: { url: "${upstream.url}" } }
  # Refuses every connection; no breaker, so every request keeps trying it.
  dead:
    kind: service
    destinations: { primary: { url: "http://127.0.0.1:${deadPort}" } }
    timeouts: { connectMs: 200, perTryMs: 500 }
    breaker: { enabled: false }
  # Refuses every connection; its breaker opens.
  tripped:
    kind: service
    destinations: { primary: { url: "http://127.0.0.1:${deadPort}" } }
    timeouts: { connectMs: 200, perTryMs: 500 }
policies:
  auth:
    public: { anonymous: true }
routes:
  - { id: live, match: { path: /live/** }, cluster: live, auth: public }
  - { id: dead, match: { path: /dead/** }, cluster: dead, auth: public, timeoutMs: 2000 }
  - { id: tripped, match: { path: /tripped/** }, cluster: tripped, auth: public, timeoutMs: 2000 }
`,
    );
    gateway = await spawnApp('gateway', { args: ['--config', gatewayConfig] });

    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
rule_files: ["${path.join(workspaceRoot, 'docker/prometheus/alerts.yml')}"]
scrape_configs:
  - job_name: edge-platform
    static_configs:
      - targets: ["127.0.0.1:${gateway.port}"]
        labels: { namespace: e2e }
`,
    );
    prometheus = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    prometheus.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    prometheus.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const failed = await new Promise<Error | undefined>((resolve) => {
      prometheus.once('error', resolve);
      prometheus.once('spawn', () => resolve(undefined));
    });
    if (failed) throw new Error("prometheus is not installed: install Debian's prometheus package (apt-get install prometheus; .ci/run does it)");
    await eventually('Prometheus ready', async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await gateway?.stop();
    await upstream?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<Sample[]> {
    const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Sample[] }; error?: string };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
    return body.data.result;
  }

  it('scrapes the gateway as an up target of the edge-platform job and stores its metrics', async () => {
    const up = await eventually('up == 1', async () => (await query('up{job="edge-platform"} == 1')).at(0));
    expect(up.metric).toMatchObject({ job: 'edge-platform', instance: `127.0.0.1:${gateway.port}`, namespace: 'e2e' });
    const info = await eventually('gateway_config_info', async () => (await query('gateway_config_info{service="gateway"}')).at(0));
    expect(info.value[1]).toBe('1');
  }, 30_000);

  it('evaluates every production alert rule on the scraped series, and a dead upstream makes the 5xx and breaker alerts pending', async () => {
    // Steady traffic: one route healthy, two whose upstream refuses connections (502, then 503 once the breaker opens).
    let running = true;
    const statuses = new Map<number, number>();
    const traffic = (async () => {
      while (running) {
        await Promise.all(
          ['/live/a', '/dead/a', '/tripped/a'].map(async (p) => {
            const res = await fetch(gateway.url + p);
            await res.arrayBuffer();
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }),
        );
        await sleep(20);
      }
    })();
    try {
      let seen: string[] = [];
      const alerts = await eventually('5xx and breaker alerts pending', async () => {
        const res = (await (await fetch(`${prometheusUrl}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
        const names = res.data.alerts.map((a) => `${a.labels['alertname']}:${a.labels['route'] ?? a.labels['cluster']}`);
        seen = names;
        const expected = ['GatewayRouteHighErrorRate:dead', 'GatewayUpstreamErrors:dead', 'GatewayCircuitOpen:tripped'];
        return expected.every((name) => names.includes(name)) ? res.data.alerts : undefined;
      }).catch((error: Error) => {
        throw new Error(`${error.message}; alerts seen: ${seen.join(', ')}`);
      });
      const routeAlert = alerts.find((a) => a.labels['alertname'] === 'GatewayRouteHighErrorRate' && a.labels['route'] === 'dead');
      // `for: 5m` has not passed: pending, with the rule's labels.
      expect(routeAlert).toMatchObject({ state: 'pending', labels: { severity: 'critical', namespace: 'e2e', route: 'dead' } });
      // The healthy route raises nothing.
      expect(alerts.filter((a) => a.labels['route'] === 'live' || a.labels['cluster'] === 'live')).toEqual([]);
    } finally {
      running = false;
      await traffic;
    }
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect([...statuses.keys()].filter((s) => s >= 500).length).toBeGreaterThan(0);

    const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: RuleGroup[] } };
    const evaluated = rules.data.groups.flatMap((g) => g.rules);
    expect(evaluated.length).toBeGreaterThanOrEqual(11);
    expect(evaluated.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
    expect(output).not.toMatch(/level=error/);
  }, 30_000);
});
