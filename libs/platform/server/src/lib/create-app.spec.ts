import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { request } from 'undici';
import { connect } from 'node:net';
import { ObservabilityModule, currentRequestContext } from '@edge/observability';
import { problem } from '@edge/problem-details';
import { startEdgeApp, type RunningApp } from './create-app';

@Controller()
class DemoController {
  @Get('context')
  context() {
    const ctx = currentRequestContext();
    return { requestId: ctx?.requestId, traceId: ctx?.trace.traceId, route: ctx?.route };
  }
  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
  @Get('boom')
  boom() {
    throw new Error('database password is hunter2');
  }
  @Get('items/:id')
  item(@Param('id') id: string) {
    return { id };
  }
  @Get('teapot')
  teapot() {
    throw problem('forbidden', { detail: 'not yours' });
  }
}

@Module({ imports: [ObservabilityModule.forRoot({ service: 'test', level: 'silent' })], controllers: [DemoController] })
class DemoModule {}

describe('startEdgeApp', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startEdgeApp({
      service: 'test',
      defaultPort: 0,
      module: DemoModule,
      env: { PORT: '0', LOG_LEVEL: 'silent', BODY_LIMIT_BYTES: '2048' },
    });
  });
  afterAll(async () => {
    await running.app.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => request(running.url + path, { headers });

  it('answers unknown routes with problem+json 404 and the request id', async () => {
    const res = await get('/nope', { 'x-request-id': 'abc-123' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 404, type: 'urn:edge:problem:not-found', requestId: 'abc-123', instance: '/nope' });
  });

  it('answers malformed JSON with 400 problem, never the parser message', async () => {
    const res = await request(running.url + '/echo', { method: 'POST', body: '{"a":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(body['type']).toBe('urn:edge:problem:malformed-json');
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers an unsupported media type with 415 and a too-large body with 413', async () => {
    const r415 = await request(running.url + '/echo', { method: 'POST', body: 'x', headers: { 'content-type': 'text/x-weird' } });
    expect(r415.statusCode).toBe(415);
    expect(((await r415.body.json()) as { type: string }).type).toBe('urn:edge:problem:unsupported-media-type');
    const r413 = await request(running.url + '/echo', {
      method: 'POST',
      body: JSON.stringify({ a: 'x'.repeat(4096) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(r413.statusCode).toBe(413);
    expect(r413.headers['content-type']).toContain('application/problem+json');
    await r413.body.dump();
  });

  it('hides unexpected errors behind a generic 500', async () => {
    const res = await get('/boom');
    expect(res.statusCode).toBe(500);
    const text = await res.body.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
  });

  it('renders thrown problems with their status', async () => {
    const res = await get('/teapot');
    expect(res.statusCode).toBe(403);
    expect(await res.body.json()).toMatchObject({ detail: 'not yours', status: 403 });
  });

  it('continues a valid traceparent, replaces an invalid one, and rejects malformed request ids', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await get('/context', { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'bad id;drop' });
    const body = (await res.body.json()) as { requestId: string; traceId: string; route: string };
    expect(body.traceId).toBe(traceId);
    expect(body.route).toBe('/context');
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['traceresponse']).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const other = await get('/context', { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' });
    expect(((await other.body.json()) as { traceId: string }).traceId).not.toBe('0'.repeat(32));
  });

  it('answers URLs the router refuses as problem+json: over-long path parameter 414, bad encoding 400', async () => {
    const long = await get(`/items/${'a'.repeat(300)}`, { 'x-request-id': 'long-1' });
    expect(long.statusCode).toBe(414);
    expect(long.headers['content-type']).toContain('application/problem+json');
    expect(await long.body.json()).toMatchObject({ type: 'urn:edge:problem:uri-too-long', status: 414, requestId: 'long-1' });
    const bad = await get('/items/%zz');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const body = (await bad.body.json()) as Record<string, unknown>;
    expect(body['type']).toBe('urn:edge:problem:invalid-path');
    expect(JSON.stringify(body)).not.toContain('FST_');
    const ok = await get('/items/abc');
    expect(await ok.body.json()).toEqual({ id: 'abc' });
  });

  it('answers CONNECT with 405 problem+json instead of dropping the connection', async () => {
    const port = Number(new URL(running.url).port);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed/);
    expect(answer).toContain('content-type: application/problem+json');
    expect(answer).toMatch(/allow: GET/);
    expect(answer).toContain('"type":"urn:edge:problem:method-not-allowed"');
  });

  it('answers oversized headers with 431 problem+json', async () => {
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(running.url).port), '127.0.0.1');
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('close', () => resolve(data));
      socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431/);
    expect(raw).toContain('application/problem+json');
    expect(raw).toContain('urn:edge:problem:headers-too-large');
  });

  it('serves health, readiness and metrics labelled by route template', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/readyz')).statusCode).toBe(200);
    const metrics = await (await get('/metrics')).body.text();
    const line = metrics.split('\n').find((l) => l.startsWith('http_server_request_duration_seconds_count') && l.includes('route="/context"'));
    expect(line).toContain('status_class="2xx"');
    expect(line).toContain('method="GET"');
    expect(metrics).not.toContain('route="/nope"');
  });

  it('reports not ready while draining', async () => {
    running.readiness.markDraining();
    const res = await get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    await res.body.dump();
  });
});
