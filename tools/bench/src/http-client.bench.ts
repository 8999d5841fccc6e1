import { HttpClient } from '@edge/http-client';
import { runWithRequestContext, traceContextFrom, type RequestContext } from '@edge/observability';
// The baseline of this benchmark *is* raw undici: a tool may measure the transport it compares against.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { Pool, request } from 'undici';
import { startLoopbackUpstream } from './loopback-upstream';
import { interleaved, median, pairedRatio, parseFlags, table, withConcurrency, type Sample, type Variant } from './measure';

const MAX_RATIO = 1.5;

/** The headers every variant sends, so the wire is the same; only the client computes its own. */
const sameHeaders = (requestId: string) => ({
  accept: 'application/json',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  'x-request-id': requestId,
  'request-timeout-ms': '2000',
});

function inboundContext(): RequestContext {
  const now = Date.now();
  return {
    requestId: 'bench-request',
    trace: traceContextFrom('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', undefined),
    // Long enough for the whole run: the deadline is enforced, never reached.
    deadline: now + 3_600_000,
    startedAt: now,
    signal: new AbortController().signal,
  };
}

/**
 * CPU per call of the same GET (1 KB JSON, parsed) through raw `undici.request`, a bare undici
 * `Pool.request`, and HttpClient with its breaker, bulkhead, retries, deadline, span and
 * metrics all on (and not triggered), inside an inbound request context like a BFF's.
 */
export async function httpClientBench(args: readonly string[]): Promise<boolean> {
  const flags = parseFlags(args, { calls: 1000, rounds: 25, concurrency: 32, check: 0 });
  const calls = flags['calls'] as number;
  const rounds = flags['rounds'] as number;
  const concurrency = flags['concurrency'] as number;
  const upstream = await startLoopbackUpstream();
  const pool = new Pool(upstream.url, { connections: concurrency, pipelining: 1 });
  const client = new HttpClient({
    name: 'bench',
    baseUrl: upstream.url,
    connections: concurrency,
    timeoutMs: 2_000,
    retries: { attempts: 3 },
    breaker: { volumeThreshold: 20, errorThresholdPercentage: 50 },
    bulkhead: { maxConcurrent: 64, maxQueue: 32 },
  });
  const context = inboundContext();
  const headers = sameHeaders(context.requestId);

  const raw = async () => {
    const response = await request(`${upstream.url}/items/42`, { method: 'GET', headers });
    await response.body.json();
  };
  const pooled = async () => {
    const response = await pool.request({ method: 'GET', path: '/items/42', headers });
    await response.body.json();
  };
  const ours = () => runWithRequestContext(context, () => client.get('/items/:id', { params: { id: '42' } }));

  const modes: [string, number][] = [
    ['sequential', 1],
    [`concurrent (${concurrency} in flight)`, concurrency],
  ];
  const rows: string[][] = [['mode', 'undici.request', 'Pool.request', 'HttpClient', 'client/raw', 'client/pool', 'wall µs/call (raw/pool/client)']];
  let pass = true;
  for (const [mode, inFlight] of modes) {
    const variants: Variant[] = [
      { name: 'raw', run: (n) => withConcurrency(n, inFlight, raw) },
      { name: 'pool', run: (n) => withConcurrency(n, inFlight, pooled) },
      { name: 'client', run: (n) => withConcurrency(n, inFlight, ours) },
    ];
    const samples = await interleaved(variants, calls, rounds);
    const wall = (name: string) => median((samples.get(name) as Sample[]).map((s) => s.wallMicrosPerCall));
    // Paired per round (same moment, same machine state), then the median: robust to drift and noise.
    const cpus = (name: string) => (samples.get(name) as Sample[]).map((s) => s.cpuMicrosPerCall);
    const ratioTo = (base: string) => pairedRatio(cpus('client'), cpus(base));
    const ratio = ratioTo('raw');
    if (ratio > MAX_RATIO) pass = false;
    rows.push([
      mode,
      median(cpus('raw')).toFixed(1),
      median(cpus('pool')).toFixed(1),
      median(cpus('client')).toFixed(1),
      `${ratio.toFixed(2)}×`,
      `${ratioTo('pool').toFixed(2)}×`,
      `${wall('raw').toFixed(0)}/${wall('pool').toFixed(0)}/${wall('client').toFixed(0)}`,
    ]);
  }
  await client.close();
  await pool.close();
  upstream.stop();

  console.log(`http-client: GET of 1 KB JSON over loopback (upstream in its own process), ${rounds} interleaved rounds × ${calls} calls, Node ${process.version}`);
  console.log('CPU µs per call of this process (user+system), median of rounds; ratios: median of per-round ratios\n');
  console.log(table(rows));
  console.log(`\n${pass ? 'PASS' : 'FAIL'}: HttpClient costs ${pass ? 'at most' : 'more than'} ${MAX_RATIO}× a raw undici.request`);
  return pass || flags['check'] === 0;
}
