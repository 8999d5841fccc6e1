import { metricsRegistry } from '@edge/observability';
import { freePort } from '@edge/testing';
import type { ServerResponse } from 'node:http';
import { HttpClient } from './http-client';
import { clientAndUpstream, inboundRequest, rejectionOf, within } from './request-context.fixture';
import { UpstreamError } from './upstream-error';

function answer(res: ServerResponse, status: number, body: unknown = { status }): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function sampleCount(dependency: string, labels: Record<string, string>): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('http_client_request_duration_seconds')?.get();
  const match = metric?.values.find(
    (v) => (v as { metricName?: string }).metricName === 'http_client_request_duration_seconds_count' && v.labels['dependency'] === dependency && Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  );
  return match?.value ?? 0;
}

async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))?.value ?? 0;
}

describe('HttpClient retries (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(() => env.close());

  it('retries a GET after 503 and records each attempt with its resend_count', async () => {
    env = await clientAndUpstream({ retries: { attempts: 3 } });
    let n = 0;
    env.upstream.handle((_req, res) => answer(res, ++n === 1 ? 503 : 200, { n }));
    const response = await env.client.get<{ n: number }>('/things');
    expect(response).toMatchObject({ status: 200, body: { n: 2 } });
    expect(env.upstream.requests).toHaveLength(2);
    const dependency = env.client.name;
    expect(await sampleCount(dependency, { method: 'GET', status_class: '5xx', resend_count: '0' })).toBe(1);
    expect(await sampleCount(dependency, { method: 'GET', status_class: '2xx', resend_count: '1' })).toBe(1);
    expect(await counterValue('http_client_calls_total', { dependency, outcome: 'success' })).toBe(1);
    expect(await counterValue('http_client_retries_total', { dependency, decision: 'retried' })).toBe(1);
  });

  it('does not retry a POST without an Idempotency-Key', async () => {
    env = await clientAndUpstream({ retries: { attempts: 3 } });
    env.upstream.handle((_req, res) => answer(res, 503));
    const error = await rejectionOf(env.client.post('/orders', { body: { item: 1 } }));
    expect(error).toMatchObject({ kind: 'status', status: 503, code: 'upstream-unavailable', attempts: 1 });
    expect(env.upstream.requests).toHaveLength(1);
    expect(env.upstream.requests[0]?.body.toString()).toBe('{"item":1}');
  });

  it('retries a POST that carries an Idempotency-Key, sending the same key and body each time', async () => {
    env = await clientAndUpstream({ retries: { attempts: 3 } });
    let n = 0;
    env.upstream.handle((_req, res) => answer(res, ++n < 3 ? 502 : 201, { id: 'o-1' }));
    const response = await env.client.post<{ id: string }>('/orders', { body: { item: 1 }, idempotencyKey: 'k-123' });
    expect(response).toMatchObject({ status: 201, body: { id: 'o-1' } });
    expect(env.upstream.requests).toHaveLength(3);
    for (const request of env.upstream.requests) {
      expect(request.headers['idempotency-key']).toBe('k-123');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.body.toString()).toBe('{"item":1}');
    }
  });

  it('does not retry a 4xx, and passes its status on', async () => {
    env = await clientAndUpstream({ retries: { attempts: 3 } });
    env.upstream.handle((_req, res) => answer(res, 404, { type: 'urn:x:not-found', internal: 'db row 7 missing' }));
    const error = await rejectionOf(env.client.get('/orders/:id', { params: { id: 'o-9' } }));
    expect(error).toBeInstanceOf(UpstreamError);
    const upstreamError = error as UpstreamError;
    expect(upstreamError.isStatus(404)).toBe(true);
    expect(upstreamError).toMatchObject({ status: 404, code: 'not-found', upstream: { status: 404, body: { internal: 'db row 7 missing' } } });
    expect(env.upstream.requests).toHaveLength(1);
  });

  it('does not retry a timeout that used up the deadline', async () => {
    env = await clientAndUpstream({ timeoutMs: 80, retries: { attempts: 5 } });
    env.upstream.handle(() => undefined);
    await expect(env.client.get('/slow')).rejects.toMatchObject({ kind: 'timeout' });
    expect(env.upstream.requests).toHaveLength(1);
  });

  it('retries refused connections and reports a 502 once attempts run out', async () => {
    const port = await freePort();
    const client = new HttpClient({ name: 'refused', baseUrl: `http://127.0.0.1:${port}`, retries: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    env = { upstream: { close: async () => undefined }, client, close: () => client.close() } as unknown as typeof env;
    const error = await rejectionOf(client.get('/x'));
    expect(error).toMatchObject({ kind: 'connect', status: 502, code: 'bad-gateway', attempts: 3 });
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    expect(await counterValue('http_client_retries_total', { dependency: 'refused', decision: 'retried' })).toBe(2);
    expect(await sampleCount('refused', { status_class: 'error', resend_count: '2' })).toBe(1);
  });

  it('retries a connection reset for a GET', async () => {
    env = await clientAndUpstream({ retries: { attempts: 2 } });
    let n = 0;
    env.upstream.handle((req, res) => (++n === 1 ? req.socket.destroy() : answer(res, 200)));
    await expect(env.client.get('/x')).resolves.toMatchObject({ status: 200 });
    expect(env.upstream.requests).toHaveLength(2);
  });

  it('does not start an attempt that cannot finish before the deadline', async () => {
    env = await clientAndUpstream({ timeoutMs: 400, retries: { attempts: 10, baseDelayMs: 0, maxDelayMs: 0 } });
    env.upstream.handle((req, res) => (req.url === '/warm' ? answer(res, 200) : void setTimeout(() => answer(res, 503), 100)));
    await env.client.get('/warm'); // the first request of a process pays for undici's parser set-up
    const error = await rejectionOf(env.client.get('/x'));
    // Answers take ~100 ms: attempts go on while ~100 ms of budget remain, and the client stops
    // with the upstream's last answer instead of starting an attempt the deadline would cut.
    expect(error).toMatchObject({ kind: 'status', status: 503 });
    const attempts = env.upstream.requests.filter((r) => r.url === '/x');
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.length).toBeLessThan(10);
    expect(attempts.every((r) => !r.aborted)).toBe(true);
    expect(await counterValue('http_client_retries_total', { dependency: env.client.name, decision: 'denied-deadline' })).toBe(1);
  });

  it('keeps retries within the budget during an outage (received ≤ N × (1 + ratio) + floor)', async () => {
    const ratio = 0.2;
    const minRetriesPerSecond = 1;
    const budgetWindowMs = 10_000;
    env = await clientAndUpstream({
      timeoutMs: 10_000,
      retries: { attempts: 3, budgetRatio: ratio, minRetriesPerSecond, budgetWindowMs },
      breaker: { errorThresholdPercentage: 100 }, // keep the breaker and the bulkhead out of this test
      bulkhead: { maxConcurrent: 1_000, maxQueue: 0 },
    });
    env.upstream.handle((_req, res) => answer(res, 503));
    const calls = 200;
    const inbound = inboundRequest(10_000);
    const results = await within(inbound, () => Promise.all(Array.from({ length: calls }, () => rejectionOf(env.client.get('/x')))));
    expect(new Set(results.map((e) => (e as UpstreamError).kind))).toEqual(new Set(['status']));
    const floor = (minRetriesPerSecond * budgetWindowMs) / 1000;
    const received = env.upstream.requests.length;
    expect(received).toBeLessThanOrEqual(calls * (1 + ratio) + floor);
    // Retries did happen (without a budget there would be calls × 3 = 600 requests).
    expect(received).toBeGreaterThan(calls);
    expect(await counterValue('http_client_retries_total', { dependency: env.client.name, decision: 'denied-budget' })).toBeGreaterThan(0);
  });
});
