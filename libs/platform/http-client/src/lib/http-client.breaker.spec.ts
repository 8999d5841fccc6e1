import { metricsRegistry } from '@edge/observability';
import { toProblemResponse } from '@edge/problem-details';
import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { clientAndUpstream, rejectionOf, waitFor } from './request-context.fixture';
import { UpstreamError } from './upstream-error';

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status }));
}

async function gauge(dependency: string): Promise<number | undefined> {
  const metric = await metricsRegistry.getSingleMetric('http_client_breaker_state')?.get();
  return metric?.values.find((v) => v.labels['dependency'] === dependency)?.value;
}

async function transitions(dependency: string): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric('http_client_breaker_transitions_total')?.get();
  const out: Record<string, number> = {};
  for (const v of metric?.values ?? []) if (v.labels['dependency'] === dependency) out[String(v.labels['to'])] = v.value;
  return out;
}

describe('HttpClient circuit breaker (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(async () => {
    jest.restoreAllMocks();
    await env.close();
  });

  const breaker = { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeout: 150, rollingCountTimeout: 10_000 };

  it('goes closed → open → half-open → closed; while open the upstream is not called and callers get 503 circuit-open', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    env = await clientAndUpstream({ breaker, retries: { attempts: 1 } });
    let status = 500;
    env.upstream.handle((_req, res) => answer(res, status));
    const dependency = env.client.name;
    expect(await gauge(dependency)).toBe(0);

    for (let i = 0; i < 4; i++) await expect(env.client.get('/x')).rejects.toMatchObject({ kind: 'status', status: 502 });
    expect(env.client.breakerState).toBe('open');
    expect(await gauge(dependency)).toBe(2);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ dependency, from: 'closed', to: 'open' }), expect.stringContaining('opened'));

    const rejected = await rejectionOf(env.client.get('/x'));
    expect(rejected).toBeInstanceOf(UpstreamError);
    expect(rejected).toMatchObject({ kind: 'circuit-open', status: 503, code: 'circuit-open', attempts: 0 });
    const problem = toProblemResponse(rejected);
    expect(problem.status).toBe(503);
    expect(Number(problem.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(problem.body).toMatchObject({ type: 'urn:edge:problem:circuit-open', status: 503 });
    expect(env.upstream.requests).toHaveLength(4);

    await waitFor(() => env.client.breakerState === 'half-open');
    expect(await gauge(dependency)).toBe(1);
    status = 200;
    await expect(env.client.get('/x')).resolves.toMatchObject({ status: 200 });
    expect(env.client.breakerState).toBe('closed');
    expect(await gauge(dependency)).toBe(0);
    expect(env.upstream.requests).toHaveLength(5);
    expect(await transitions(dependency)).toEqual({ open: 1, 'half-open': 1, closed: 1 });
  });

  it('lets exactly one trial through while half-open, and a failed trial opens it again', async () => {
    env = await clientAndUpstream({ breaker, retries: { attempts: 1 } });
    env.upstream.handle((_req, res) => void setTimeout(() => answer(res, 503), 30));
    for (let i = 0; i < 4; i++) await expect(env.client.get('/x')).rejects.toMatchObject({ kind: 'status' });
    expect(env.client.breakerState).toBe('open');
    await waitFor(() => env.client.breakerState === 'half-open');
    const results = await Promise.all([1, 2, 3].map(() => rejectionOf(env.client.get('/x'))));
    expect(results.map((e) => (e as UpstreamError).kind).sort()).toEqual(['circuit-open', 'circuit-open', 'status']);
    expect(env.upstream.requests).toHaveLength(5);
    expect(env.client.breakerState).toBe('open');
  });

  it('is not tripped by 4xx answers', async () => {
    env = await clientAndUpstream({ breaker, retries: { attempts: 1 } });
    env.upstream.handle((_req, res) => answer(res, 404));
    for (let i = 0; i < 20; i++) await expect(env.client.get('/missing')).rejects.toMatchObject({ status: 404 });
    expect(env.client.breakerState).toBe('closed');
    expect(env.upstream.requests).toHaveLength(20);
  });

  it('counts timeouts, and is one breaker for every path of the dependency', async () => {
    env = await clientAndUpstream({ breaker, retries: { attempts: 1 }, timeoutMs: 100 });
    env.upstream.handle(() => undefined);
    for (const path of ['/a', '/b', '/c', '/d']) await expect(env.client.get(path)).rejects.toMatchObject({ kind: 'timeout' });
    expect(env.client.breakerState).toBe('open');
    await expect(env.client.get('/other/path')).rejects.toMatchObject({ kind: 'circuit-open' });
    expect(env.upstream.requests).toHaveLength(4);
  });

  it('counts broken connections', async () => {
    env = await clientAndUpstream({ breaker, retries: { attempts: 1 }, timeoutMs: 3_000 });
    env.upstream.handle((req) => req.socket.destroy());
    for (let i = 0; i < 4; i++) await expect(env.client.get('/reset')).rejects.toMatchObject({ kind: 'reset', status: 502 });
    expect(env.client.breakerState).toBe('open');
  });
});
