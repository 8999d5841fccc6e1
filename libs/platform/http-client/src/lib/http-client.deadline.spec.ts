import { setSpanExporter, type SpanRecord } from '@edge/observability';
import { toProblemResponse } from '@edge/problem-details';
import { clientAndUpstream, inboundRequest, rejectionOf, waitFor, within } from './request-context.fixture';
import { UpstreamError } from './upstream-error';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('HttpClient deadlines, cancellation and propagation (real loopback upstream)', () => {
  let env: Awaited<ReturnType<typeof clientAndUpstream>>;
  afterEach(async () => {
    setSpanExporter(undefined);
    await env.close();
  });

  it('gives up at the dependency timeout and the upstream sees its connection closed', async () => {
    env = await clientAndUpstream({ timeoutMs: 100 });
    env.upstream.handle(() => undefined); // never answers
    const started = Date.now();
    const error = await rejectionOf(env.client.get('/slow'));
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ kind: 'timeout', status: 504, code: 'gateway-timeout', attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(400);
    await waitFor(() => env.upstream.requests[0]?.aborted === true);
    expect(env.upstream.requests).toHaveLength(1);
    expect(toProblemResponse(error).status).toBe(504);
  });

  it('honours the inbound request budget when it is smaller, and forwards what is left', async () => {
    env = await clientAndUpstream({ timeoutMs: 5_000 });
    env.upstream.handle(() => undefined);
    const inbound = inboundRequest(80);
    const started = Date.now();
    const error = await rejectionOf(within(inbound, () => env.client.get('/slow')));
    expect(error).toMatchObject({ kind: 'timeout', status: 504 });
    expect(Date.now() - started).toBeLessThan(400);
    const sent = Number(env.upstream.requests[0]?.headers['request-timeout-ms']);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(80);
    await waitFor(() => env.upstream.requests[0]?.aborted === true);
  });

  it('applies a per-call timeout tighter than the dependency timeout, and forwards it', async () => {
    env = await clientAndUpstream({ timeoutMs: 5_000 });
    await env.client.get('/fast', { timeoutMs: 300 });
    expect(Number(env.upstream.requests[0]?.headers['request-timeout-ms'])).toBeLessThanOrEqual(300);
    env.upstream.handle(() => undefined);
    const started = Date.now();
    await expect(env.client.get('/slow', { timeoutMs: 50 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('cancels the call when the inbound request is aborted; the upstream sees the close', async () => {
    env = await clientAndUpstream({ timeoutMs: 5_000 });
    env.upstream.handle(() => undefined);
    const inbound = inboundRequest(5_000);
    const call = rejectionOf(within(inbound, () => env.client.get('/slow')));
    await waitFor(() => env.upstream.requests.length === 1);
    const abortedAt = Date.now();
    inbound.abort();
    const error = await call;
    expect(error).toMatchObject({ kind: 'aborted' });
    expect(Date.now() - abortedAt).toBeLessThan(200);
    await waitFor(() => env.upstream.requests[0]?.aborted === true);
  });

  it('cancels every call of an aborted inbound request, and later requests are unaffected', async () => {
    env = await clientAndUpstream({ timeoutMs: 5_000 });
    env.upstream.handle((req, res) => (req.url === '/slow' ? undefined : res.end('{}')));
    const inbound = inboundRequest(5_000);
    const calls = within(inbound, () => Promise.all([1, 2, 3].map(() => rejectionOf(env.client.get('/slow')))));
    await waitFor(() => env.upstream.requests.length === 3);
    inbound.abort();
    expect((await calls).map((e) => (e as { kind: string }).kind)).toEqual(['aborted', 'aborted', 'aborted']);
    await waitFor(() => env.upstream.requests.every((r) => r.aborted));
    await expect(within(inboundRequest(5_000), () => env.client.get('/fast'))).resolves.toMatchObject({ status: 200 });
  });

  it('meets the deadline even while waiting for a pooled connection, and never sends the queued request', async () => {
    env = await clientAndUpstream({ connections: 1, timeoutMs: 5_000 });
    env.upstream.handle(() => undefined);
    const release = new AbortController();
    const holder = rejectionOf(env.client.get('/slow', { signal: release.signal }));
    await waitFor(() => env.upstream.requests.length === 1);
    const started = Date.now();
    await expect(env.client.get('/queued', { timeoutMs: 60 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(300);
    // Free the connection: undici now gets to the queued request, which must be dropped unsent.
    release.abort();
    await holder;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(env.upstream.requests.map((r) => r.url)).toEqual(['/slow']);
  });

  it('cancels with the caller signal too', async () => {
    env = await clientAndUpstream();
    env.upstream.handle(() => undefined);
    const controller = new AbortController();
    const call = rejectionOf(env.client.get('/slow', { signal: controller.signal }));
    await waitFor(() => env.upstream.requests.length === 1);
    controller.abort();
    expect(await call).toMatchObject({ kind: 'aborted' });
    await waitFor(() => env.upstream.requests[0]?.aborted === true);
  });

  it('does not call the upstream at all when the inbound budget is already spent', async () => {
    env = await clientAndUpstream();
    const inbound = inboundRequest(0);
    await expect(within(inbound, () => env.client.get('/x'))).rejects.toMatchObject({ kind: 'timeout', attempts: 0 });
    const aborted = inboundRequest(1_000);
    aborted.abort();
    await expect(within(aborted, () => env.client.get('/x'))).rejects.toMatchObject({ kind: 'aborted' });
    expect(env.upstream.requests).toHaveLength(0);
  });

  it('sends a child traceparent of the inbound trace per attempt, the request id, tracestate and the budget', async () => {
    env = await clientAndUpstream({ retries: { attempts: 2 } });
    const spans: SpanRecord[] = [];
    setSpanExporter({ export: (span) => spans.push(span) });
    let calls = 0;
    env.upstream.handle((_req, res) => {
      res.writeHead(++calls === 1 ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const inbound = inboundRequest(1_500, TRACEPARENT);
    const before = Date.now();
    const response = await within(inbound, () => env.client.get<{ ok: boolean }>('/orders/:id', { params: { id: 7 } }));
    expect(response).toMatchObject({ status: 200, body: { ok: true } });

    const received = env.upstream.requests.map((r) => r.headers);
    expect(received).toHaveLength(2);
    const spanIds = received.map((h) => {
      const [version, traceId, spanId, flags] = String(h['traceparent']).split('-');
      expect([version, traceId, flags]).toEqual(['00', inbound.context.trace.traceId, '01']);
      expect(spanId).not.toBe(inbound.context.trace.spanId);
      expect(h['x-request-id']).toBe(inbound.context.requestId);
      expect(h['tracestate']).toBe('vendor=abc');
      const budget = Number(h['request-timeout-ms']);
      expect(budget).toBeGreaterThan(0);
      expect(budget).toBeLessThanOrEqual(inbound.context.deadline - before);
      return spanId;
    });
    expect(new Set(spanIds).size).toBe(2);

    // Each attempt is a client span, child of the inbound request's span, whose id is what was sent.
    const clientSpans = spans.filter((s) => s.kind === 'client');
    expect(clientSpans.map((s) => s.spanId)).toEqual(spanIds);
    for (const span of clientSpans) {
      expect(span).toMatchObject({ traceId: inbound.context.trace.traceId, parentSpanId: inbound.context.trace.spanId, name: 'GET /orders/:id' });
    }
    expect(clientSpans.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 200]);
    expect(clientSpans.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1]);
    expect(clientSpans.map((s) => s.error)).toEqual([true, false]);
  });

  it('outside any inbound request still sends a traceparent and its own budget', async () => {
    env = await clientAndUpstream({ timeoutMs: 700 });
    await env.client.get('/x');
    const headers = env.upstream.requests[0]?.headers ?? {};
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(headers['x-request-id']).toBeUndefined();
    expect(Number(headers['request-timeout-ms'])).toBeLessThanOrEqual(700);
  });
});
