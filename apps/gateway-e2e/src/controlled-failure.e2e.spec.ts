import { request } from 'undici';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { startGateway, testConfig, type GatewayUnderTest } from './support/gateway-under-test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway controlled failure (black box)', () => {
  let up: EchoUpstream;
  let second: EchoUpstream;
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    up = await startEchoUpstream();
    second = await startEchoUpstream();
    const dead = await startEchoUpstream();
    const deadPort = dead.port;
    await dead.close();
    gw = await startGateway(
      testConfig({
        upstream: up.url,
        cluster: `    retries: { maxAttempts: 3, on: [connect-failure, 502, 503, 504], backoff: { baseMs: 5, maxMs: 20 }, budget: { ratio: 0.5, minPerSecond: 3 } }
    breaker: { enabled: false }`,
        extraClusters: `  fragile:
    kind: service
    destinations:
      primary: { url: "${up.url}" }
    breaker: { failureRatePercent: 50, minimumRequests: 6, windowMs: 10000, openMs: 800 }
  narrow:
    kind: service
    destinations:
      primary: { url: "${up.url}" }
    concurrency: { max: 2, queue: 1, queueTimeoutMs: 200 }
  idle:
    kind: service
    destinations:
      primary: { url: "${up.url}" }
    timeouts: { bodyIdleMs: 300 }
  dead:
    kind: service
    destinations:
      primary: { url: "http://127.0.0.1:${deadPort}" }
  bff:
    kind: bff
    destinations:
      primary: { url: "${up.url}" }
  pair:
    kind: service
    loadBalancing: round-robin
    destinations:
      a: { url: "${up.url}" }
      b: { url: "${second.url}" }
    healthChecks: { passive: { consecutiveFailures: 2, ejectionMs: 30000, maxEjectedPercent: 50 } }
  canary:
    kind: service
    destinations:
      primary: { url: "${second.url}" }`,
        extraRoutes: `  - id: slow
    match: { path: /slow/** }
    cluster: echo
    auth: public
    timeoutMs: 400
  - id: fragile
    match: { path: /fragile/** }
    cluster: fragile
    auth: public
  - id: narrow
    match: { path: /narrow/** }
    cluster: narrow
    auth: public
  - id: idle
    match: { path: /idle/** }
    cluster: idle
    auth: public
  - id: dead
    match: { path: /dead/** }
    cluster: dead
    auth: public
  - id: to-bff
    match: { path: /bff/** }
    cluster: bff
    auth: public
  - id: pair
    match: { path: /pair/** }
    cluster: pair
    auth: public
  - id: v2-by-header
    match: { path: /versioned/**, headers: [{ name: x-api-version, values: ["2"] }] }
    cluster: canary
    auth: public
  - id: v1
    match: { path: /versioned/** }
    cluster: echo
    auth: public
  - id: split
    match: { path: /split/** }
    weightedClusters: [{ cluster: echo, weight: 80 }, { cluster: canary, weight: 20 }]
    auth: public
`,
      }),
    );
  });
  afterAll(async () => {
    await gw.stop();
    await up.close();
    await second.close();
  });
  beforeEach(() => {
    up.requests.splice(0);
    second.requests.splice(0);
    up.handle(undefined);
    second.handle(undefined);
  });

  it('retries an idempotent request on 503 and succeeds', async () => {
    let n = 0;
    up.handle((_q, res) => (++n < 3 ? res.writeHead(503).end() : res.end('ok')));
    const res = await request(`${gw.url}/public/r`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('ok');
    expect(up.requests).toHaveLength(3);
  });

  it('never retries a POST without Idempotency-Key, and retries one with it', async () => {
    up.handle((_q, res) => res.writeHead(503).end());
    const plain = await request(`${gw.url}/public/orders`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(plain.statusCode).toBe(503);
    await plain.body.dump();
    expect(up.requests).toHaveLength(1);
    up.requests.splice(0);
    const keyed = await request(`${gw.url}/public/orders`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1' } });
    await keyed.body.dump();
    expect(up.requests).toHaveLength(3);
    expect(up.requests.map((r) => r.body.toString())).toEqual(['{"a":1}', '{"a":1}', '{"a":1}']);
  });

  it('does not retry requests to a BFF cluster (one retry budget across the chain)', async () => {
    up.handle((_q, res) => res.writeHead(503).end());
    const res = await request(`${gw.url}/bff/x`);
    expect(res.statusCode).toBe(503);
    await res.body.dump();
    expect(up.requests).toHaveLength(1);
  });

  it('answers 504 at the route deadline and cancels the upstream call', async () => {
    up.handle(() => undefined); // hang
    const started = Date.now();
    const res = await request(`${gw.url}/slow/x`);
    expect(res.statusCode).toBe(504);
    expect(((await res.body.json()) as { type: string }).type).toBe('urn:edge:problem:gateway-timeout');
    expect(Date.now() - started).toBeLessThan(1500);
    await sleep(100);
    expect(up.requests.every((r) => r.aborted)).toBe(true);
  });

  it('honours a shorter deadline asked by the caller', async () => {
    up.handle(() => undefined);
    const started = Date.now();
    const res = await request(`${gw.url}/public/x`, { headers: { 'request-timeout-ms': '200' } });
    expect(res.statusCode).toBe(504);
    await res.body.dump();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('cancels the upstream request when the client disconnects', async () => {
    up.handle(() => undefined);
    const controller = new AbortController();
    const pending = request(`${gw.url}/public/hang`, { signal: controller.signal }).catch(() => undefined);
    await sleep(150);
    controller.abort();
    await pending;
    await sleep(200);
    expect(up.requests[0]?.aborted).toBe(true);
  });

  it('aborts the client response when the upstream hangs after the headers', async () => {
    up.handle((_q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    const res = await request(`${gw.url}/idle/x`);
    expect(res.statusCode).toBe(200);
    await expect(res.body.text()).rejects.toThrow();
  });

  it('sheds load beyond the concurrency limit with 503 + Retry-After', async () => {
    up.handle((_q, res) => setTimeout(() => res.end('ok'), 500));
    const results = await Promise.all(Array.from({ length: 6 }, () => request(`${gw.url}/narrow/busy`).then(async (r) => ({ status: r.statusCode, retry: r.headers['retry-after'], body: await r.body.text() }))));
    const shed = results.filter((r) => r.status === 503);
    expect(shed.length).toBeGreaterThanOrEqual(3);
    expect(shed[0]?.retry).toBeDefined();
    expect(JSON.parse(shed[0]!.body).type).toBe('urn:edge:problem:overloaded');
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
  });

  it('opens the breaker (503 + Retry-After, upstream not called), half-opens and closes', async () => {
    let failing = true;
    up.handle((_q, res) => res.writeHead(failing ? 500 : 200).end());
    for (let i = 0; i < 6; i++) await (await request(`${gw.url}/fragile/b`)).body.dump();
    const calls = up.requests.length;
    const open = await request(`${gw.url}/fragile/b`);
    expect(open.statusCode).toBe(503);
    expect(open.headers['retry-after']).toBeDefined();
    expect(((await open.body.json()) as { type: string }).type).toBe('urn:edge:problem:circuit-open');
    expect(up.requests.length).toBe(calls);
    failing = false;
    await sleep(900);
    const trial = await request(`${gw.url}/fragile/b`);
    expect(trial.statusCode).toBe(200);
    await trial.body.dump();
    const after = await request(`${gw.url}/fragile/b`);
    expect(after.statusCode).toBe(200);
    await after.body.dump();
    const metrics = await (await request(`${gw.url}/metrics`)).body.text();
    expect(metrics).toMatch(/gateway_breaker_state\{[^}]*cluster="fragile"[^}]*\} 0/);
  });

  it('answers 502 when the upstream refuses connections', async () => {
    const res = await request(`${gw.url}/dead/x`);
    expect(res.statusCode).toBe(502);
    expect(((await res.body.json()) as { type: string }).type).toBe('urn:edge:problem:bad-gateway');
  });

  it('balances across destinations and ejects a failing one', async () => {
    second.handle((_q, res) => res.writeHead(502).end());
    for (let i = 0; i < 12; i++) await (await request(`${gw.url}/pair/x`)).body.dump();
    expect(second.requests.length).toBe(2);
    expect(up.requests.length).toBe(10);
  });

  it('routes by header version and splits by weight', async () => {
    await (await request(`${gw.url}/versioned/a`, { headers: { 'x-api-version': '2' } })).body.dump();
    await (await request(`${gw.url}/versioned/a`)).body.dump();
    expect(second.requests).toHaveLength(1);
    expect(up.requests).toHaveLength(1);
    up.requests.splice(0);
    second.requests.splice(0);
    for (let i = 0; i < 200; i++) await (await request(`${gw.url}/split/a`)).body.dump();
    expect(second.requests.length).toBeGreaterThan(15);
    expect(second.requests.length).toBeLessThan(70);
    expect(up.requests.length + second.requests.length).toBe(200);
  });

  it('exports per-route and per-cluster metrics', async () => {
    const metrics = await (await request(`${gw.url}/metrics`)).body.text();
    expect(metrics).toMatch(/gateway_request_duration_seconds_count\{(?=[^}]*route="public")(?=[^}]*cluster="echo")(?=[^}]*status_class="2xx")[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_retries_total\{[^}]*cluster="echo"/);
    expect(metrics).toMatch(/gateway_upstream_errors_total\{[^}]*cluster="echo"/);
    expect(metrics).toMatch(/gateway_outlier_ejections_total\{[^}]*cluster="pair"/);
    expect(metrics).toContain('gateway_config_info{version=');
    expect(metrics).toMatch(/gateway_cluster_connections\{(?=[^}]*cluster="echo")(?=[^}]*state="connected")[^}]*\} [1-9]/);
    expect(metrics).toMatch(/gateway_ejected_destinations\{[^}]*cluster="pair"[^}]*\} 1/);
  });
});
