import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { parseFlags, table } from './measure';
import { processRssMb } from './process-stats';

// dist/tools/bench/tools/bench/src → the workspace root
const root = path.resolve(__dirname, '../../../../../..');
const APPS = ['dev-idp', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations', 'bff-web', 'bff-mobile', 'bff-partner', 'gateway'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** The shipped gateway config with every rate limit lifted: a soak measures stability, not the limits. */
function soakConfig(dir: string): string {
  // Textual (the file holds ${ENV} placeholders that are not YAML until expanded).
  const text = readFileSync(path.join(root, 'apps/gateway/config/gateway.yaml'), 'utf8').replace(/\blimit: \d+/g, 'limit: 100000000');
  const file = path.join(dir, 'gateway-soak.yaml');
  writeFileSync(file, text);
  return file;
}

/** app name → pid, from the launcher's children (their command lines name dist/apps/<app>/main.js). */
function appPids(launcher: number): Map<string, number> {
  const pids = new Map<string, number>();
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(launcher)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return pids;
  }
  for (const pid of children) {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const m = /dist\/apps\/([^/]+)\/main\.js/.exec(cmd);
    if (m?.[1]) pids.set(m[1], pid);
  }
  return pids;
}

function token(args: string[], issuer: string): string {
  return execFileSync(process.execPath, [path.join(root, 'tools/token/token.ts'), ...args, '--issuer', issuer], { cwd: root, encoding: 'utf8' }).trim();
}

interface Mix {
  name: string;
  path: string;
  headers: Record<string, string>;
}

/**
 * Soak: the whole stack (npm start with lifted rate limits) under minutes of mixed traffic
 * through the gateway to every BFF and the public APIs. Reports throughput, latency,
 * errors, and each app's RSS before and after (growth must stay under 10%). "Before" is
 * taken after a minute of the same traffic: the apps run with the heap caps of their images
 * (docker/node-heap.json, applied by npm start), and a V8 heap takes that long to reach its
 * working size; growth after that is what a leak would show.
 */
export async function soakBench(args: readonly string[]): Promise<boolean> {
  const flags = parseFlags(args, { seconds: 300, connections: 8, warmup: 60, check: 0 });
  if (!readdirSync(path.join(root, 'dist')).includes('apps')) throw new Error('run npm start once (it builds the apps) or build them');
  const dir = mkdtempSync(path.join(tmpdir(), 'soak-'));
  const ports: Record<string, number> = {};
  for (const app of APPS) ports[app] = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    // Tokens must outlive the soak (dev-idp's default is 5 minutes).
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    GATEWAY_CONFIG: soakConfig(dir),
    PARTNER_RATE_LIMIT: '100000000',
    PARTNER_QUOTA: '1000000000',
  };
  for (const app of APPS) env[`${app.toUpperCase().replace(/-/g, '_')}_PORT`] = String(ports[app]);
  const launcher: ChildProcess = spawn(process.execPath, ['tools/dev-stack/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  // Keep only the tail: the launcher relays every app's log lines for the whole soak.
  launcher.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  try {
    const deadline = Date.now() + 240_000;
    while (!out.includes('Ctrl-C stops everything')) {
      if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`stack did not start:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const issuer = `http://localhost:${ports['dev-idp']}`;
    const gateway = `http://127.0.0.1:${ports['gateway']}`;
    const mobile = token(['--user', 'alice'], issuer);
    const partner = token(['--client', 'partner-acme'], issuer);
    const orders = token(['--user', 'bob', '--resource', 'urn:orders-api', '--scope', 'openid orders:read'], issuer);
    const mix: Mix[] = [
      { name: 'catalog (anonymous, cached)', path: '/api/catalog/products?limit=5', headers: {} },
      { name: 'orders API (JWT)', path: '/api/orders?limit=5', headers: { authorization: `Bearer ${orders}` } },
      { name: 'mobile home (3 parts)', path: '/mobile/v1/home', headers: { authorization: `Bearer ${mobile}`, 'x-app-version': '9.9.9', 'x-app-platform': 'ios' } },
      { name: 'partner orders', path: '/partner/v2/orders?limit=5', headers: { authorization: `Bearer ${partner}` } },
      { name: 'web session (BFF)', path: '/web/session', headers: { 'x-csrf': '1' } },
      { name: 'dashboard (aggregate)', path: '/api/dashboard', headers: { authorization: `Bearer ${mobile}` } },
    ];
    const run = (seconds: number) =>
      Promise.all(mix.map((m) => autocannon({ url: gateway + m.path, headers: m.headers, connections: Math.max(1, Math.round((flags['connections'] as number) / mix.length)), duration: seconds })));
    await run(flags['warmup'] as number);
    const pids = appPids(launcher.pid as number);
    const before = new Map([...pids].map(([app, pid]) => [app, processRssMb(pid)]));
    const results = await run(flags['seconds'] as number);
    const after = new Map([...pids].map(([app, pid]) => [app, processRssMb(pid)]));
    const rows = [['traffic', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors/timeouts']];
    let bad = 0;
    results.forEach((r, i) => {
      const non2xx = r.non2xx;
      bad += non2xx + r.errors + r.timeouts;
      rows.push([mix[i]?.name ?? '', r.requests.average.toFixed(0), String(r.latency.p50), String(r.latency.p99), String(r['2xx']), String(non2xx), String(r.errors + r.timeouts)]);
    });
    console.log(`\nSoak: ${flags['seconds']} s of mixed traffic through the gateway, ${flags['connections']} connections in all\n`);
    console.log(table(rows));
    const rssRows = [['app', 'RSS before MB', 'RSS after MB', 'growth']];
    let worst = 0;
    for (const [app, mb] of before) {
      const end = after.get(app) ?? mb;
      const growth = (end - mb) / mb;
      worst = Math.max(worst, growth);
      rssRows.push([app, mb.toFixed(0), end.toFixed(0), `${(growth * 100).toFixed(1)}%`]);
    }
    console.log(`\n${table(rssRows)}`);
    const pass = bad === 0 && worst < 0.1;
    console.log(`\nTargets (no failed request, RSS growth < 10% for every app): ${pass ? 'met' : 'NOT met'} (failed ${bad}, worst growth ${(worst * 100).toFixed(1)}%)`);
    return flags['check'] ? pass : true;
  } finally {
    launcher.kill('SIGTERM');
    await new Promise((r) => launcher.once('exit', r));
  }
}
