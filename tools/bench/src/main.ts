import { gatewayBench } from './gateway.bench';
import { httpClientBench } from './http-client.bench';
import { soakBench } from './soak.bench';
import { mobileHomeBench } from './mobile-home.bench';

/**
 * Micro-benchmarks of the platform, one file per benchmark:
 *   node tools/build/build-app.mjs bench && node dist/tools/bench/main.js <name> [--flag value ...]
 * A benchmark resolves false when it misses its target and `--check 1` was given (exit 1).
 */
const benchmarks: Record<string, { about: string; run(args: readonly string[]): Promise<boolean> }> = {
  'http-client': { about: 'HttpClient vs raw undici.request and Pool.request (CPU per call)', run: httpClientBench },
  'mobile-home': { about: 'GET /mobile/v1/home latency with its three parts each delayed (parallel, not sequential)', run: mobileHomeBench },
  soak: { about: 'the whole stack under minutes of mixed traffic through the gateway: throughput, latency, errors, RSS growth per app', run: soakBench },
  gateway: { about: 'gateway (JWT route, access logs) vs direct, a bare undici proxy and nginx (wrk; CPU per request, latency, RSS)', run: gatewayBench },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const benchmark = name === undefined ? undefined : benchmarks[name];
  if (benchmark === undefined) {
    console.error(`usage: main.js <benchmark> [--flag value ...]\n${Object.entries(benchmarks).map(([n, b]) => `  ${n.padEnd(14)} ${b.about}`).join('\n')}`);
    process.exitCode = 2;
    return;
  }
  process.exitCode = (await benchmark.run(args)) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
