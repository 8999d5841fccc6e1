import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable, Writable } from 'node:stream';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import type { ClusterSettings } from './cluster-settings';
import { ClusterRuntime, type ForwardInput } from './cluster-runtime';
import { silentObserver } from './cluster-observer';
import { ProxyError } from './proxy-error';

function settings(urls: string[], overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return {
    id: 'test',
    kind: 'service',
    destinations: urls.map((url, i) => ({ id: `d${i}`, url, weight: 1 })),
    loadBalancing: 'round-robin',
    pool: { connections: 8, keepAliveTimeoutMs: 4000, pipelining: 1 },
    timeouts: { connectMs: 500, perTryMs: 2000, bodyIdleMs: 2000 },
    retries: { attempts: 3, on: new Set(['connect-failure', 'reset', '502', '503', '504']), baseDelayMs: 1, maxDelayMs: 5, budget: { ratio: 0.2, minConcurrent: 3 } },
    ...overrides,
  };
}

interface Captured {
  status?: number;
  headers?: Record<string, string | string[]>;
  body: string;
}

function input(overrides: Partial<ForwardInput> = {}): { input: ForwardInput; captured: Captured } {
  const captured: Captured = { body: '' };
  return {
    captured,
    input: {
      method: 'GET',
      path: '/thing?x=1',
      headers: ['accept', 'application/json'],
      body: null,
      retryable: true,
      deadline: Date.now() + 3000,
      respond(status, headers) {
        captured.status = status;
        captured.headers = headers;
        return new Writable({
          write(chunk: Buffer, _e, cb) {
            captured.body += chunk.toString();
            cb();
          },
        });
      },
      ...overrides,
    },
  };
}

describe('ClusterRuntime', () => {
  let up: EchoUpstream;
  let runtime: ClusterRuntime | undefined;
  beforeEach(async () => {
    up = await startEchoUpstream();
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await up.close();
  });

  it('forwards the request and streams the response back', async () => {
    runtime = new ClusterRuntime(settings([up.url]), silentObserver);
    const { input: i, captured } = input();
    const result = await runtime.forward(i);
    expect(result).toMatchObject({ status: 200, attempts: 1, destination: 'd0' });
    expect(JSON.parse(captured.body)).toMatchObject({ method: 'GET', url: '/thing?x=1' });
    expect(up.requests[0]?.headers['accept']).toBe('application/json');
  });

  it('retries idempotent requests on 503 and then succeeds', async () => {
    let n = 0;
    up.handle((_req, res) => {
      n++;
      res.writeHead(n < 3 ? 503 : 200).end(n < 3 ? 'busy' : 'ok');
    });
    runtime = new ClusterRuntime(settings([up.url]), silentObserver);
    const { input: i, captured } = input();
    const result = await runtime.forward(i);
    expect(result.attempts).toBe(3);
    expect(captured).toMatchObject({ status: 200, body: 'ok' });
  });

  it('passes the last 503 through when attempts run out', async () => {
    up.handle((_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('busy'));
    runtime = new ClusterRuntime(settings([up.url]), silentObserver);
    const { input: i, captured } = input();
    const result = await runtime.forward(i);
    expect(result).toMatchObject({ status: 503, attempts: 3 });
    expect(captured.body).toBe('busy');
    expect(up.requests).toHaveLength(3);
  });

  it('never retries a non-retryable request (POST without Idempotency-Key)', async () => {
    up.handle((_req, res) => res.writeHead(503).end());
    runtime = new ClusterRuntime(settings([up.url]), silentObserver);
    const { input: i } = input({ method: 'POST', body: Buffer.from('{}'), retryable: false });
    expect((await runtime.forward(i)).status).toBe(503);
    expect(up.requests).toHaveLength(1);
  });

  it('maps refused connections to connect-failure after retrying', async () => {
    const port = up.port;
    await up.close();
    runtime = new ClusterRuntime(settings([`http://127.0.0.1:${port}`]), silentObserver);
    await expect(runtime.forward(input().input)).rejects.toMatchObject({ kind: 'connect-failure' });
    up = await startEchoUpstream();
  });

  it('times out at the deadline and closes the upstream connection', async () => {
    up.handle(() => undefined); // hang
    runtime = new ClusterRuntime(settings([up.url], { retries: undefined }), silentObserver);
    const started = Date.now();
    await expect(runtime.forward(input({ deadline: Date.now() + 300 }).input)).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 100));
    expect(up.requests[0]?.aborted).toBe(true);
  });

  it('cancels the upstream request when the client goes away', async () => {
    up.handle(() => undefined);
    runtime = new ClusterRuntime(settings([up.url], { retries: undefined }), silentObserver);
    const client = new Writable({ write: (_chunk, _e, cb) => cb() });
    const pending = runtime.forward(input({ client }).input);
    await new Promise((r) => setTimeout(r, 100));
    client.destroy(); // closes before it finished: the client went away
    await expect(pending).rejects.toMatchObject({ kind: 'client-aborted' });
    await new Promise((r) => setTimeout(r, 100));
    expect(up.requests[0]?.aborted).toBe(true);
  });

  it('sheds load beyond the concurrency limit and queue', async () => {
    up.handle((_req, res) => setTimeout(() => res.end('ok'), 200));
    runtime = new ClusterRuntime(settings([up.url], { concurrency: { max: 2, queue: 1, queueTimeoutMs: 1000 } }), silentObserver);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => (runtime as ClusterRuntime).forward(input().input)));
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toBeInstanceOf(ProxyError);
    expect((rejected[0]?.reason as ProxyError).kind).toBe('overloaded');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });

  it('opens the breaker on failures, answers without calling upstream, half-opens and closes', async () => {
    let failing = true;
    up.handle((_req, res) => res.writeHead(failing ? 500 : 200).end());
    const states: string[] = [];
    runtime = new ClusterRuntime(
      settings([up.url], {
        retries: undefined,
        breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, rollingCountTimeoutMs: 10_000, resetTimeoutMs: 300 },
      }),
      { ...silentObserver, breakerState: (_c, s) => states.push(s) },
    );
    for (let k = 0; k < 4; k++) expect((await runtime.forward(input().input)).status).toBe(500);
    expect(runtime.breakerState).toBe('open');
    const before = up.requests.length;
    await expect(runtime.forward(input().input)).rejects.toMatchObject({ kind: 'circuit-open' });
    expect(up.requests.length).toBe(before);
    failing = false;
    await new Promise((r) => setTimeout(r, 350));
    expect(runtime.breakerState).toBe('half-open');
    expect((await runtime.forward(input().input)).status).toBe(200);
    expect(runtime.breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('does not open the breaker on 4xx', async () => {
    up.handle((_req, res) => res.writeHead(404).end());
    runtime = new ClusterRuntime(
      settings([up.url], { breaker: { errorThresholdPercentage: 50, volumeThreshold: 2, rollingCountTimeoutMs: 10_000, resetTimeoutMs: 300 } }),
      silentObserver,
    );
    for (let k = 0; k < 5; k++) expect((await runtime.forward(input().input)).status).toBe(404);
    expect(runtime.breakerState).toBe('closed');
  });

  it('ejects a failing destination and sends traffic to the healthy one', async () => {
    const bad = await startEchoUpstream();
    bad.handle((_req, res) => res.writeHead(502).end());
    runtime = new ClusterRuntime(
      settings([bad.url, up.url], { retries: undefined, outlier: { consecutiveFailures: 2, ejectionMs: 10_000, maxEjectedPercent: 50 } }),
      silentObserver,
    );
    for (let k = 0; k < 10; k++) await runtime.forward(input().input);
    expect(bad.requests.length).toBe(2);
    expect(up.requests.length).toBe(8);
    await bad.close();
  });

  it('sends no traffic to a destination that fails its active health check', async () => {
    const sick = await startEchoUpstream();
    sick.handle((req, res) => res.writeHead(req.url === '/ready' ? 503 : 200).end('sick'));
    up.handle((_req, res) => res.end('well'));
    runtime = new ClusterRuntime(settings([sick.url, up.url], { retries: undefined, healthCheck: { path: '/ready', intervalMs: 50, timeoutMs: 200 } }), silentObserver);
    await new Promise((r) => setTimeout(r, 200));
    const bodies: string[] = [];
    for (let k = 0; k < 6; k++) {
      const { input: i, captured } = input();
      await runtime.forward(i);
      bodies.push(captured.body);
    }
    expect(bodies).toEqual(Array(6).fill('well'));
    expect(sick.requests.every((r) => r.url === '/ready')).toBe(true);
    await runtime.close();
    runtime = undefined;
    await sick.close();
  });

  it('keeps retries within the budget during an outage', async () => {
    up.handle((_req, res) => setTimeout(() => res.writeHead(503).end(), 20));
    runtime = new ClusterRuntime(
      settings([up.url], { retries: { attempts: 3, on: new Set(['503']), baseDelayMs: 1, maxDelayMs: 2, budget: { ratio: 0.2, minConcurrent: 1 } } }),
      silentObserver,
    );
    await Promise.all(Array.from({ length: 20 }, () => (runtime as ClusterRuntime).forward(input().input)));
    // 20 requests; with at most max(1, 20% of active) retries in flight, far fewer than 3 × 20 reach the upstream.
    expect(up.requests.length).toBeLessThanOrEqual(20 * 1.2 + 4);
  });

  it("calls respond in the request's own async context, also on a reused connection", async () => {
    const storage = new AsyncLocalStorage<string>();
    runtime = new ClusterRuntime(settings([up.url], { pool: { connections: 1, keepAliveTimeoutMs: 4000, pipelining: 1 } }), silentObserver);
    const seen: (string | undefined)[] = [];
    for (const id of ['first', 'second']) {
      const { input: request } = input();
      const respond = request.respond;
      await storage.run(id, () =>
        (runtime as ClusterRuntime).forward({
          ...request,
          respond: (status, headers) => {
            seen.push(storage.getStore());
            return respond(status, headers);
          },
        }),
      );
    }
    expect(seen).toEqual(['first', 'second']);
    expect(runtime.stats().connected).toBe(1);
  });

  describe('streaming and cancellation', () => {
    it('propagates backpressure from a slow client to the upstream and delivers every byte', async () => {
      const total = 16 * 1024 * 1024;
      let upstreamDone = false;
      up.handle((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 120);
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end(() => (upstreamDone = true));
        };
        pump();
      });
      runtime = new ClusterRuntime(settings([up.url]), silentObserver);
      let received = 0;
      let release: (() => void) | undefined;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      const pending = runtime.forward(
        input({
          respond: () =>
            new Writable({
              highWaterMark: 64 * 1024,
              write(chunk: Buffer, _e, cb) {
                received += chunk.length;
                void stalled.then(() => cb());
              },
            }),
        }).input,
      );
      await new Promise((r) => setTimeout(r, 300));
      // The client takes nothing: the upstream must be held back, not read into memory.
      expect(upstreamDone).toBe(false);
      expect(received).toBeLessThan(total / 4);
      release?.();
      const result = await pending;
      expect(result.status).toBe(200);
      expect(result.bodyError).toBeUndefined();
      expect(received).toBe(total);
    });

    it('cancels the upstream and reports the body error when the client side fails mid-body', async () => {
      up.handle((_req, res) => {
        res.writeHead(200);
        res.write('first part'); // and never ends
      });
      runtime = new ClusterRuntime(settings([up.url]), silentObserver);
      const result = await runtime.forward(
        input({
          respond: () =>
            new Writable({
              write(_chunk, _e, cb) {
                cb(new ProxyError('protocol', 'part response too large'));
              },
            }),
        }).input,
      );
      expect(result.status).toBe(200);
      expect(result.bodyError?.kind).toBe('protocol');
      await new Promise((r) => setTimeout(r, 100));
      expect(up.requests[0]?.aborted).toBe(true);
    });

    it('cuts the client response when the upstream stalls after its head', async () => {
      up.handle((_req, res) => {
        res.writeHead(200);
        res.write('some');
      });
      runtime = new ClusterRuntime(settings([up.url], { timeouts: { connectMs: 500, perTryMs: 2000, bodyIdleMs: 200 } }), silentObserver);
      let sink: Writable | undefined;
      const result = await runtime.forward(
        input({
          respond: () =>
            (sink = new Writable({
              write(_chunk, _e, cb) {
                cb();
              },
            })),
        }).input,
      );
      expect(result.bodyError?.kind).toBe('timeout');
      expect(sink?.destroyed).toBe(true);
      expect(sink?.writableFinished).toBe(false);
    });

    it('fails the attempt when the streamed request body fails, and sends nothing more', async () => {
      runtime = new ClusterRuntime(settings([up.url], { retries: undefined }), silentObserver);
      const body = new Readable({
        read() {
          // the test pushes the body itself
        },
      });
      body.push('start of a body');
      setTimeout(() => body.destroy(new ProxyError('body-too-large', 'request body over the route limit')), 50);
      await expect(runtime.forward(input({ method: 'POST', body, retryable: false, headers: ['content-type', 'text/plain'] }).input)).rejects.toMatchObject({ kind: 'body-too-large' });
      await new Promise((r) => setTimeout(r, 100));
      expect(up.requests).toHaveLength(1);
      expect(up.requests[0]?.aborted).toBe(true); // the upstream never saw a complete request
    });

    it('takes an attempt that times out while waiting for a connection out of the queue at once', async () => {
      let finishFirst: (() => void) | undefined;
      up.handle((_req, res) => {
        finishFirst = () => res.end('first');
      });
      runtime = new ClusterRuntime(settings([up.url], { retries: undefined, pool: { connections: 1, keepAliveTimeoutMs: 4000, pipelining: 1 } }), silentObserver);
      const first = input();
      const firstDone = runtime.forward(first.input);
      await new Promise((r) => setTimeout(r, 50));
      await expect(runtime.forward(input({ deadline: Date.now() + 100 }).input)).rejects.toMatchObject({ kind: 'timeout' });
      // Gone from undici's queue now, not when a connection frees up; the busy connection is untouched.
      expect(runtime.stats()).toMatchObject({ pending: 0, connected: 1 });
      finishFirst?.();
      expect(await firstDone).toMatchObject({ status: 200 });
      expect(first.captured.body).toBe('first');
      expect(up.requests).toHaveLength(1);
    });
  });
});
