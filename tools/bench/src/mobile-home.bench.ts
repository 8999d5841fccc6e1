import { buildApps, devIdpToken, freePort, startApp, workspaceRoot, type BenchApp } from './mobile-stack';
import { median, parseFlags, table } from './measure';

const SERVICES = [
  ['demo-catalog', 'CATALOG_URL'],
  ['demo-orders', 'ORDERS_URL'],
  ['demo-customers', 'CUSTOMERS_URL'],
  ['demo-recommendations', 'RECOMMENDATIONS_URL'],
] as const;
/** The three parts of /mobile/v1/home. */
const DELAYED = ['demo-orders', 'demo-customers', 'demo-recommendations'];
/** What the delays may add to the p50 beyond one delay: "a few ms" (three sequential parts would add 2 × delay more). */
const MAX_ADDED_MS = 5;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function timeRequests(url: string, headers: Record<string, string>, requests: number, concurrency: number, into: number[] = []): Promise<number[]> {
  let started = 0;
  const worker = async () => {
    while (started < requests) {
      started++;
      const t0 = performance.now();
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('partial-response') !== null) throw new Error(`${url} answered ${res.status}${res.headers.get('partial-response') ? ' (partial)' : ''}`);
      into.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return into;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const row = (label: string, values: readonly number[]) => {
  const s = sorted(values);
  return [label, String(s.length), median(s).toFixed(1), percentile(s, 90).toFixed(1), percentile(s, 99).toFixed(1), (s.at(-1) as number).toFixed(1)];
};

/**
 * Wall latency of `GET /mobile/v1/home` on the real stack (dev-idp, the demo services and
 * bff-mobile as separate processes, tokens from dev-idp) with the three services behind the
 * home screen (customers, orders, recommendations) delayed through their fault endpoint.
 * Rounds alternate delay 0 and `--delay` (so machine drift hits both alike); parallel parts
 * make the delay add one `delay` to the p50, sequential ones would add three. A direct call
 * to one delayed service is the reference for what a single part costs on this machine.
 */
export async function mobileHomeBench(args: readonly string[]): Promise<boolean> {
  const flags = parseFlags(args, { rounds: 10, requests: 40, warmup: 50, delay: 20, concurrency: 8, check: 0 });
  const delay = flags['delay'] as number;
  const perRound = flags['requests'] as number;
  const root = workspaceRoot();
  buildApps(root, ['dev-idp', ...SERVICES.map(([name]) => name), 'bff-mobile']);
  const apps: BenchApp[] = [];
  try {
    const idpPort = await freePort();
    const issuer = `http://localhost:${idpPort}`;
    apps.push(await startApp(root, 'dev-idp', idpPort, { OIDC_ISSUER: issuer }));
    const urls: Record<string, string> = {};
    const delayed: string[] = [];
    for (const [name, setting] of SERVICES) {
      const app = await startApp(root, name, await freePort(), { OIDC_ISSUER: issuer, FAULTS_ENABLED: 'true' });
      apps.push(app);
      urls[setting] = app.url;
      if (DELAYED.includes(name)) delayed.push(app.url);
    }
    const setDelay = async (ms: number) => {
      for (const url of delayed) {
        const res = await fetch(`${url}/__faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: ms }) });
        if (res.status !== 200) throw new Error(`faults on ${url}: ${res.status}`);
      }
    };
    const bff = await startApp(root, 'bff-mobile', await freePort(), { OIDC_ISSUER: issuer, ...urls });
    apps.push(bff);
    const app = { 'x-app-version': '3.0.0', 'x-app-platform': 'ios' };
    const home = `${bff.url}/mobile/v1/home`;
    const homeHeaders = { authorization: `Bearer ${devIdpToken(root, issuer, 'alice', 'mobile-app')}`, ...app };
    const direct = `${urls['ORDERS_URL']}/orders?limit=5`;
    const directHeaders = { authorization: `Bearer ${devIdpToken(root, issuer, 'alice', 'mobile-app', 'urn:orders-api')}` };

    await timeRequests(home, homeHeaders, flags['warmup'] as number, 1);
    const samples = { home0: [] as number[], homeD: [] as number[], directD: [] as number[] };
    for (let round = 0; round < (flags['rounds'] as number); round++) {
      await setDelay(0);
      await timeRequests(home, homeHeaders, perRound, 1, samples.home0);
      await setDelay(delay);
      await timeRequests(home, homeHeaders, perRound, 1, samples.homeD);
      await timeRequests(direct, directHeaders, perRound, 1, samples.directD);
    }
    const concurrent = await timeRequests(home, homeHeaders, perRound * 5, flags['concurrency'] as number);
    await setDelay(0);

    const added = median(samples.homeD) - median(samples.home0);
    const pass = added <= delay + MAX_ADDED_MS;
    console.log(`mobile-home: GET /mobile/v1/home (customers + orders + recommendations in parallel), Node ${process.version}`);
    console.log(`${flags['rounds']} interleaved rounds × ${perRound} sequential requests per variant; latency fault on each of the three services\n`);
    console.log(
      table([
        ['variant', 'requests', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        row('home, parts delayed 0 ms', samples.home0),
        row(`home, parts delayed ${delay} ms`, samples.homeD),
        row(`one part alone (orders, ${delay} ms, direct)`, samples.directD),
        row(`home, ${delay} ms, ${flags['concurrency']} in flight`, concurrent),
      ]),
    );
    console.log(`\nthe ${delay} ms delays added ${added.toFixed(1)} ms to the p50 (sequential parts would add ≥ ${3 * delay}); home p50 is ${(median(samples.homeD) - median(samples.directD)).toFixed(1)} ms over a direct call to one delayed part`);
    console.log(`${pass ? 'PASS' : 'FAIL'}: added latency ${pass ? '≤' : '>'} ${delay} + ${MAX_ADDED_MS} ms`);
    return pass || flags['check'] === 0;
  } finally {
    for (const started of apps.reverse()) await started.stop();
  }
}
