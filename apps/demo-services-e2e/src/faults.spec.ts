import { connect } from 'node:net';
import { request } from 'undici';
import { spawnApp, type SpawnedApp } from '@edge/testing';
import { call, expectProblem, startDemoStack, type DemoStack } from './support';

/** What a raw TCP client receives for one request (bytes, and how the connection ended). */
function rawGet(url: string, path: string): Promise<{ data: Buffer; error?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ data: Buffer.concat(chunks), error: e.code ?? e.message }));
    socket.on('close', () => resolve({ data: Buffer.concat(chunks) }));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

describe('fault injection (DESIGN.md §3)', () => {
  let stack: DemoStack;
  let url: string;
  const setFaults = async (faults: unknown) => {
    const res = await call(`${url}/__faults`, { method: 'PUT', body: faults });
    expect(res.status).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    stack = await startDemoStack(['demo-orders']);
    url = stack.url('demo-orders');
  });
  afterEach(async () => {
    expect((await call(`${url}/__faults`, { method: 'DELETE' })).status).toBe(204);
  });
  afterAll(() => stack.close());

  it('validates the settings', async () => {
    const res = await call(`${url}/__faults`, { method: 'PUT', body: { latencyMs: -5, errorRate: 1.5, status: 200, mode: 'explode', colour: 'red' } });
    const problem = expectProblem(res, 400, 'validation-failed');
    expect((problem['errors'] as { field: string }[]).map((e) => e.field).sort()).toEqual(['colour', 'errorRate', 'latencyMs', 'mode', 'status']);
    expectProblem(await call(`${url}/__faults`, { method: 'PUT', body: '{"latencyMs":' }), 400, 'malformed-json');
    expect((await call(`${url}/__faults`)).json()).toEqual({ latencyMs: 0, errorRate: 0, status: 503, mode: null });
  });

  it('adds latency to every route but health, readiness and metrics', async () => {
    expect(await setFaults({ latencyMs: 400 })).toEqual({ latencyMs: 400, errorRate: 0, status: 503, mode: null });
    const token = await stack.token('demo-orders');
    let started = Date.now();
    expect((await call(`${url}/orders`, { token })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    started = Date.now();
    expect((await call(`${url}/orders`)).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    started = Date.now();
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await call(url + path)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('fails requests at errorRate with the chosen status', async () => {
    await setFaults({ errorRate: 1, status: 504 });
    const token = await stack.token('demo-orders');
    for (const path of ['/orders', '/orders/ord_0001', '/openapi.json']) {
      expectProblem(await call(url + path, { token }), 504, 'gateway-timeout');
    }
    await setFaults({ errorRate: 1 });
    const unavailable = await call(`${url}/orders`, { token });
    expectProblem(unavailable, 503);
    expect(unavailable.headers['retry-after']).toBe('1');
    await setFaults({ errorRate: 0.5, status: 500 });
    const statuses = await Promise.all(Array.from({ length: 60 }, async () => (await call(`${url}/orders`, { token })).status));
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(50);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
  });

  it('hangs until the client times out', async () => {
    await setFaults({ mode: 'hang' });
    const started = Date.now();
    await expect(request(`${url}/orders`, { headersTimeout: 500, bodyTimeout: 500 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('resets the connection', async () => {
    await setFaults({ mode: 'reset' });
    const { data, error } = await rawGet(url, '/orders');
    expect(data.length).toBe(0);
    expect(error).toBe('ECONNRESET');
    await expect(request(`${url}/orders`)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  it('answers with bytes that are not HTTP, then closes', async () => {
    await setFaults({ mode: 'garbage' });
    const { data } = await rawGet(url, '/orders');
    expect(data.length).toBeGreaterThan(0);
    expect(data.toString('latin1')).not.toMatch(/^HTTP\/1\.[01] /);
    await expect(request(`${url}/orders`)).rejects.toThrow();
  });

  it('stops once cleared', async () => {
    await setFaults({ errorRate: 1, status: 502 });
    expect((await call(`${url}/orders`)).status).toBe(502);
    expect((await call(`${url}/__faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${url}/orders`)).status).toBe(401);
  });
});

describe('fault injection disabled', () => {
  let app: SpawnedApp;
  beforeAll(async () => {
    app = await spawnApp('demo-catalog', { env: { LOG_LEVEL: 'warn' } });
  });
  afterAll(() => app.stop());

  it('has no /__faults endpoint (problem 404)', async () => {
    expectProblem(await call(`${app.url}/__faults`, { method: 'PUT', body: { errorRate: 1 } }), 404, 'not-found');
    expectProblem(await call(`${app.url}/__faults`), 404, 'not-found');
    expect((await call(`${app.url}/products`)).status).toBe(200);
  });
});
