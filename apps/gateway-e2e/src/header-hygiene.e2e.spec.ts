import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { startGateway, testConfig, type GatewayUnderTest } from './support/gateway-under-test';

/** Sends raw bytes (for requests no client library would produce) and returns the raw answer. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
    socket.write(text);
    setTimeout(() => socket.end(), 500);
  });
}

describe('gateway header hygiene and path safety (black box)', () => {
  let up: EchoUpstream;
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    up = await startEchoUpstream();
    gw = await startGateway(testConfig({ upstream: up.url }));
  });
  afterAll(async () => {
    await gw.stop();
    await up.close();
  });
  beforeEach(() => up.requests.splice(0));

  const last = () => up.requests[up.requests.length - 1]!;

  it('strips the route prefix and keeps the query byte for byte', async () => {
    const res = await request(`${gw.url}/public/items/7?b=2&a=%2F&a=1&empty=&x`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(last().url).toBe('/items/7?b=2&a=%2F&a=1&empty=&x');
  });

  it('never forwards hop-by-hop, Connection-named or client identity headers', async () => {
    // A raw request: HTTP clients refuse to send some of these headers themselves.
    const answer = await raw(
      gw.port,
      'GET /public/h HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, x-hop-secret\r\nX-Hop-Secret: 1\r\nKeep-Alive: timeout=5\r\n' +
        'Proxy-Authorization: Basic c2VjcmV0\r\nTE: trailers\r\nX-User-Id: admin\r\nX-Tenant-Id: globex\r\nX-Client-Id: evil\r\n' +
        'X-Authenticated-User: root\r\nX-Forwarded-Host: evil.example\r\nForwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\nX-Keep-Me: yes\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    const h = last().headers;
    for (const name of ['x-hop-secret', 'keep-alive', 'proxy-authorization', 'te', 'x-user-id', 'x-tenant-id', 'x-client-id', 'x-authenticated-user', 'x-real-ip']) {
      expect(h[name]).toBeUndefined();
    }
    expect(h['x-keep-me']).toBe('yes');
    expect(h['x-forwarded-host']).not.toBe('evil.example');
    expect(h['forwarded']).toBe('for=127.0.0.1;proto=http;host="a"');
  });

  it('sets X-Forwarded-* from the socket, ignoring a client X-Forwarded-For (no trusted proxies)', async () => {
    const res = await request(`${gw.url}/public/xff`, { headers: { 'x-forwarded-for': '6.6.6.6' } });
    await res.body.dump();
    const h = last().headers;
    expect(h['x-forwarded-for']).toBe('127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe(`127.0.0.1:${gw.port}`);
  });

  it('propagates trace context and the request id, and echoes them to the client', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await request(`${gw.url}/public/t`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, 'x-request-id': 'req-42' } });
    await res.body.dump();
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(res.headers['traceresponse']).toMatch(new RegExp(`^00-${traceId}-`));
    const h = last().headers;
    expect(h['x-request-id']).toBe('req-42');
    expect(h['traceparent']).toMatch(new RegExp(`^00-${traceId}-(?!b7ad6b7169203331)[0-9a-f]{16}-01$`));
    expect(Number(h['request-timeout-ms'])).toBeGreaterThan(0);
    expect(Number(h['request-timeout-ms'])).toBeLessThanOrEqual(5000);
  });

  it.each([
    ['an underscore in a header name', 'X_User: a\r\n'],
    ['duplicate Host', 'Host: b\r\n'],
    ['duplicate Authorization', 'Authorization: Bearer a\r\nAuthorization: Bearer b\r\n'],
  ])('rejects %s with 400 problem+json and never calls the upstream', async (_name, extra) => {
    const answer = await raw(gw.port, `GET /public/x HTTP/1.1\r\nHost: a\r\n${extra}Connection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('application/problem+json');
    expect(up.requests).toHaveLength(0);
  });

  it.each([
    ['a transfer coding other than chunked', 'POST', 'Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'],
    ['two Transfer-Encoding headers', 'POST', 'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'],
  ])('rejects %s with 400 problem+json and never calls the upstream', async (_name, method, extra, body) => {
    const answer = await raw(gw.port, `${method} /public/x HTTP/1.1\r\nHost: a\r\n${extra}Connection: close\r\n\r\n${body}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('application/problem+json');
    expect(up.requests).toHaveLength(0);
  });

  it.each(['evil.example/reset?x=', 'a.example,evil.example', 'a@evil.example', 'a"b'])('refuses the Host %j (it would shape X-Forwarded-Host and Forwarded) with 400', async (host) => {
    const answer = await raw(gw.port, `GET /public/x HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('invalid Host header');
    expect(up.requests).toHaveLength(0);
  });

  it('answers an HTTP/1.1 request without Host with 400 problem+json (HTTP/1.0 needs none)', async () => {
    const answer = await raw(gw.port, `GET /public/x HTTP/1.1\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toContain('application/problem+json');
    expect(answer).toContain('missing Host header');
    expect(up.requests).toHaveLength(0);
    const old = await raw(gw.port, `GET /public/x HTTP/1.0\r\n\r\n`);
    expect(old).toMatch(/^HTTP\/1\.1 200/);
    expect(up.requests).toHaveLength(1);
  });

  it('answers TRACE with 405 problem+json and never calls the upstream', async () => {
    const answer = await raw(gw.port, `TRACE /public/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 405/);
    expect(answer).toContain('application/problem+json');
    expect(answer.toLowerCase()).toContain('allow: get, head');
    expect(up.requests).toHaveLength(0);
  });

  it('answers CONNECT with 405 problem+json: the gateway is no forward proxy', async () => {
    const answer = await raw(gw.port, `CONNECT 127.0.0.1:${gw.port} HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 405/);
    expect(answer).toContain('application/problem+json');
    expect(up.requests).toHaveLength(0);
  });

  it('rejects duplicate Content-Length', async () => {
    const answer = await raw(gw.port, `POST /public/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(up.requests).toHaveLength(0);
  });

  it('answers oversized headers with 431 problem+json', async () => {
    const answer = await raw(gw.port, `GET /public/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(9000)}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect(answer).toContain('application/problem+json');
  });

  it('answers a body over the route limit with 413, with Content-Length and chunked', async () => {
    const declared = await request(`${gw.url}/public/upload`, { method: 'POST', body: 'x'.repeat(2000), headers: { 'content-type': 'text/plain' } });
    expect(declared.statusCode).toBe(413);
    expect(declared.headers['content-type']).toContain('application/problem+json');
    await declared.body.dump();
    async function* chunks() {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(300, 'y');
    }
    const chunked = await request(`${gw.url}/public/upload`, { method: 'POST', body: Readable.from(chunks()), headers: { 'content-type': 'text/plain' } });
    expect(chunked.statusCode).toBe(413);
    await chunked.body.dump();
    const ok = await request(`${gw.url}/public/upload`, { method: 'POST', body: 'small', headers: { 'content-type': 'text/plain' } });
    expect(ok.statusCode).toBe(200);
    expect(((await ok.body.json()) as { body: string }).body).toBe('small');
  });

  it.each(['/public/a/../b', '/public/%2e%2e/b', '/public/a%2fb', '/public/a%5cb', '/public/a\\b', '/public/..;/admin', '/public/.;x/b', '/public/admin;x=1/b'])('rejects the ambiguous path %s with 400', async (path) => {
    const answer = await raw(gw.port, `GET ${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(up.requests).toHaveLength(0);
  });

  it('keeps a trailing slash on the way upstream', async () => {
    const res = await request(`${gw.url}/public/dir/`);
    await res.body.dump();
    expect(last().url).toBe('/dir/');
  });

  it('normalises /%70ublic and //public to the route they really reach, and /PUBLIC is not it', async () => {
    for (const path of ['/%70ublic/n', '//public/n']) {
      const res = await request(`${gw.url}${path}`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(last().url).toBe('/n');
    }
    const upper = await request(`${gw.url}/PUBLIC/n`);
    expect(upper.statusCode).toBe(404);
    expect(upper.headers['content-type']).toContain('application/problem+json');
    await upper.body.dump();
  });

  it('streams the response: the first chunk arrives before the upstream finishes', async () => {
    up.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first;');
      setTimeout(() => res.end('second'), 700);
    });
    const started = Date.now();
    const res = await request(`${gw.url}/public/stream`);
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(Date.now() - started).toBeLessThan(600);
    expect(String(first.value)).toBe('first;');
    let rest = '';
    for (let n = await iterator.next(); !n.done; n = await iterator.next()) rest += String(n.value);
    expect(rest).toBe('second');
    up.handle(undefined);
  });

  it('writes one access log line per request with route, cluster and status, and no secrets', async () => {
    const res = await request(`${gw.url}/public/log?code=secret-code`, { headers: { authorization: 'Bearer top-secret-token', cookie: 'sid=cookie-secret' } });
    await res.body.dump();
    const accessLines = () => gw.output().split('\n').filter((l) => l.includes('"msg":"request"') && l.includes('/log'));
    // Access lines are buffered (flushed every second or 4 KiB).
    for (let i = 0; i < 30 && accessLines().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const lines = accessLines();
    expect(lines.length).toBe(1);
    const entry = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(entry).toMatchObject({ route: 'public', cluster: 'echo', status: 200, path: '/public/log', destination: 'primary' });
    expect(typeof entry['durationMs']).toBe('number');
    expect(gw.output()).not.toMatch(/top-secret-token|cookie-secret|secret-code/);
  });
});

describe('gateway response hygiene with a misbehaving upstream (black box)', () => {
  // Raw answers no HTTP server library would produce, by request path.
  const answers: Record<string, string> = {
    '/status-999': 'HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok',
    '/no-content': 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-Kept: yes\r\n\r\n',
  };
  const upstream = createNetServer((socket) => {
    let head = '';
    socket.on('data', (d) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      const path = head.split(' ')[1] ?? '';
      head = '';
      socket.write(answers[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    gw = await startGateway(testConfig({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` }));
  });
  afterAll(async () => {
    await gw.stop();
    await new Promise((resolve) => upstream.close(resolve));
  });

  it('answers 502 problem+json for an upstream status outside 100–599', async () => {
    const answer = await raw(gw.port, `GET /public/status-999 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 502/);
    expect(answer).toContain('application/problem+json');
  });

  it('drops Content-Length from a 204, keeping the other headers', async () => {
    const answer = await raw(gw.port, `GET /public/no-content HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 204/);
    expect(answer.toLowerCase()).not.toContain('content-length');
    expect(answer.toLowerCase()).toContain('x-kept: yes');
  });
});

describe('gateway path parameters forwarded when the config says so (black box)', () => {
  let up: EchoUpstream;
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    up = await startEchoUpstream();
    gw = await startGateway(testConfig({ upstream: up.url, pathParameters: 'forward' }));
  });
  afterAll(async () => {
    await gw.stop();
    await up.close();
  });

  it('passes /a;v=1/b on as written, and still refuses a dot segment carrying parameters', async () => {
    const ok = await raw(gw.port, `GET /public/a;v=1/b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(ok).toMatch(/^HTTP\/1\.1 200/);
    expect(up.requests.map((r) => r.url)).toEqual(['/a;v=1/b']);
    const dots = await raw(gw.port, `GET /public/..;/admin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`);
    expect(dots).toMatch(/^HTTP\/1\.1 400/);
    expect(up.requests).toHaveLength(1);
  });
});
