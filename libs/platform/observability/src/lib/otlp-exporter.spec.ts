import { createServer } from 'node:http';
import { OtlpHttpExporter } from './otlp-exporter';
import { runWithRequestContext } from './request-context';
import { setSpanExporter, startSpan } from './spans';

describe('OtlpHttpExporter', () => {
  it('posts finished spans as OTLP JSON, children of the request span', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ url: req.url, body: JSON.parse(body) });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const exporter = new OtlpHttpExporter(`http://127.0.0.1:${port}/v1/traces`, 'svc', { intervalMs: 60_000 });
    setSpanExporter(exporter);
    const trace = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: '01' };
    runWithRequestContext({ requestId: 'r', trace, deadline: 0, startedAt: 0, signal: new AbortController().signal }, () => {
      const span = startSpan('GET orders', 'client', { 'http.response.status_code': 200 });
      expect(span.traceparent).toMatch(new RegExp(`^00-${'a'.repeat(32)}-[0-9a-f]{16}-01$`));
      span.end();
    });
    await exporter.shutdown();
    setSpanExporter(undefined);
    server.close();
    expect(received).toHaveLength(1);
    const { url, body } = received[0] as { url: string; body: { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] } };
    expect(url).toBe('/v1/traces');
    const span = body.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span).toMatchObject({ traceId: 'a'.repeat(32), parentSpanId: 'b'.repeat(16), name: 'GET orders', kind: 3 });
    expect(exporter.sent).toBe(1);
  });
});
