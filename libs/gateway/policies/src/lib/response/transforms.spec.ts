import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { harness } from '../testing/cache-harness';
import { baseConfig, compileTestConfig } from '../testing/test-config';

const config = compileTestConfig(
  baseConfig({
    policies: {
      transforms: {
        headers: {
          request: { add: { 'x-gateway': 'edge' }, set: { 'x-api-version': '2' }, rename: { 'x-request-id': 'x-correlation-id' }, remove: ['x-debug'] },
          response: { strip: ['server', 'x-powered-by', 'x-internal-*'], add: { 'x-served-by': 'edge' }, set: { 'x-frame': 'one' }, rename: { 'x-old': 'x-new' }, remove: ['x-remove-me'] },
        },
        fields: {
          response: { strip: ['x-internal-*'] },
          jsonResponse: { removeFields: ['internalNotes', 'cost'], maxBufferBytes: 1024 },
        },
      },
      compression: { default: { encodings: ['br', 'gzip'], minBytes: 50, excludeTypes: ['application/x-ndjson'] } },
      cache: { c: { scope: 'shared', defaultTtlMs: 10_000 } },
    },
    routes: [
      { id: 'headers', match: { path: '/h/**' }, transforms: 'headers' },
      { id: 'fields', match: { path: '/f/**' }, transforms: 'fields', compression: 'default' },
      { id: 'fields-cached', match: { path: '/fc/**' }, transforms: 'fields', cache: 'c' },
      { id: 'compress', match: { path: '/z/**' }, compression: 'default' },
    ],
  }),
);

const big = JSON.stringify({ text: 'lorem ipsum dolor sit amet '.repeat(10) });

describe('header transformations', () => {
  it('edits the forwarded request headers, the gateway’s own correlation headers included', async () => {
    const h = harness(config);
    await h.call({ url: '/h/x', headers: { 'x-debug': '1', 'x-api-version': '1' } });
    const seen = h.seen[0]?.headers ?? {};
    expect(seen['x-gateway']).toBe('edge');
    expect(seen['x-api-version']).toBe('2');
    expect(seen['x-debug']).toBeUndefined();
    expect(seen['x-request-id']).toBeUndefined();
    expect(seen['x-correlation-id']).toMatch(/^req-/);
    await h.close();
  });

  it('strips internal response headers by pattern and applies remove, rename, set, add', async () => {
    const h = harness(config);
    const res = await h.call(
      { url: '/h/x' },
      {
        status: 200,
        headers: { server: 'nginx', 'x-powered-by': 'Express', 'x-internal-trace': 'abc', 'x-internal-node': 'n1', 'x-remove-me': '1', 'x-old': 'v', 'x-frame': 'upstream', 'x-served-by': 'svc', 'x-kept': 'yes' },
        body: 'ok',
      },
    );
    for (const name of ['server', 'x-powered-by', 'x-internal-trace', 'x-internal-node', 'x-remove-me', 'x-old']) expect(res.header(name)).toBeUndefined();
    expect(res.header('x-new')).toBe('v');
    expect(res.header('x-frame')).toBe('one');
    expect(res.head['x-served-by']).toEqual(['svc', 'edge']);
    expect(res.header('x-kept')).toBe('yes');
    await h.close();
  });
});

describe('JSON field removal', () => {
  const doc = { id: 1, internalNotes: 'secret', lines: [{ sku: 'a', cost: 3, nested: { cost: 4, keep: true } }], meta: { internalNotes: 'x' } };

  it('removes denied fields at any depth and fixes Content-Length and the entity tag', async () => {
    const h = harness(config);
    const res = await h.call({ url: '/f/order' }, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', etag: '"o1"', 'x-internal-id': '9' }, body: JSON.stringify(doc) });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ id: 1, lines: [{ sku: 'a', nested: { keep: true } }], meta: {} });
    expect(res.header('content-length')).toBe(String(res.body.length));
    expect(res.header('etag')).toBe('W/"o1"');
    expect(res.header('x-internal-id')).toBeUndefined();
    // the upstream was asked for an unencoded body, so it can be read
    expect(h.seen[0]?.headers['accept-encoding']).toBeUndefined();
    await h.close();
  });

  it('filters streamed (chunked) bodies too, and problem+json', async () => {
    const h = harness(config);
    const text = JSON.stringify(doc);
    const res = await h.call({ url: '/f/order' }, { status: 200, headers: { 'content-type': 'application/json' }, body: [text.slice(0, 20), text.slice(20)] });
    expect(res.body.toString()).not.toContain('secret');
    const problemRes = await h.call({ url: '/f/order' }, { status: 409, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'x', internalNotes: 'y' }) });
    expect(JSON.parse(problemRes.body.toString())).toEqual({ title: 'x' });
    await h.close();
  });

  it.each([
    ['a declared length over maxBufferBytes', { 'content-type': 'application/json' }, JSON.stringify({ pad: 'x'.repeat(1100) }), true],
    ['a streamed body over maxBufferBytes', { 'content-type': 'application/json' }, [JSON.stringify({ pad: 'x'.repeat(900) }), ' '.repeat(200)], false],
    ['a body that is not JSON', { 'content-type': 'application/json' }, '{"internalNotes": "secret"', true],
    ['an encoded body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'binary', true],
  ])('fails closed with a 502 problem on %s', async (_name, headers, body, length) => {
    const h = harness(config);
    const res = await h.call({ url: '/f/order' }, { status: 200, headers, body, contentLength: length });
    expect(res.statusCode).toBe(502);
    expect(res.header('content-type')).toBe('application/problem+json');
    const problem = JSON.parse(res.body.toString());
    expect(problem.type).toBe('urn:edge:problem:bad-gateway');
    expect(problem.requestId).toMatch(/^req-/);
    expect(res.body.toString()).not.toContain('secret');
    await h.close();
  });

  it('passes other content types through untouched', async () => {
    const h = harness(config);
    const res = await h.call({ url: '/f/page' }, { status: 200, headers: { 'content-type': 'text/html' }, body: '<p>internalNotes</p>' });
    expect(res.body.toString()).toBe('<p>internalNotes</p>');
    await h.close();
  });

  it('compresses the filtered body when the route compresses', async () => {
    const h = harness(config);
    const payload = { internalNotes: 'secret', text: 'lorem ipsum '.repeat(10) };
    const res = await h.call({ url: '/f/order', headers: { 'accept-encoding': 'gzip' } }, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect(res.header('content-encoding')).toBe('gzip');
    expect(res.header('content-length')).toBeUndefined();
    expect(JSON.parse(gunzipSync(res.body).toString())).toEqual({ text: payload.text });
    // a small filtered body stays under minBytes: sent as is
    const small = await h.call({ url: '/f/order', headers: { 'accept-encoding': 'gzip' } }, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ internalNotes: 'x'.repeat(80), a: 1 }) });
    expect(small.header('content-encoding')).toBeUndefined();
    expect(small.body.toString()).toBe('{"a":1}');
    await h.close();
  });

  it('stores the filtered body in the cache', async () => {
    const h = harness(config);
    await h.call({ url: '/fc/order' }, { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) });
    await new Promise((r) => setTimeout(r, 5));
    const hit = await h.call({ url: '/fc/order' });
    expect(hit.header('cache-status')).toMatch(/^edge; hit/);
    expect(hit.body.toString()).not.toContain('secret');
    expect(JSON.parse(hit.body.toString()).lines[0]).toEqual({ sku: 'a', nested: { keep: true } });
    await h.close();
  });
});

describe('compression', () => {
  const send = (h: ReturnType<typeof harness>, acceptEncoding: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }, body: string = big) =>
    h.call({ url: '/z/x', headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, { status: 200, headers, body });

  it('negotiates br or gzip by Accept-Encoding and q-values', async () => {
    const h = harness(config);
    const br = await send(h, 'gzip, br');
    expect(br.header('content-encoding')).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(big);
    expect(br.header('content-length')).toBeUndefined();
    expect(br.header('vary')).toBe('Accept-Encoding');
    const gz = await send(h, 'br;q=0.2, gzip;q=0.9');
    expect(gz.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(big);
    const none = await send(h, 'identity');
    expect(none.header('content-encoding')).toBeUndefined();
    expect(none.header('vary')).toBe('Accept-Encoding');
    expect(none.body.toString()).toBe(big);
    await h.close();
  });

  it('leaves small bodies, excluded and already-compressed types, encoded and no-transform responses alone', async () => {
    const h = harness(config);
    expect((await send(h, 'gzip', { 'content-type': 'application/json' }, '{"a":1}')).header('content-encoding')).toBeUndefined();
    expect((await send(h, 'gzip', { 'content-type': 'image/png' })).header('content-encoding')).toBeUndefined();
    expect((await send(h, 'gzip', { 'content-type': 'application/x-ndjson' })).header('content-encoding')).toBeUndefined();
    expect((await send(h, 'gzip', { 'content-type': 'application/json', 'content-encoding': 'br' })).header('content-encoding')).toBe('br');
    expect((await send(h, 'gzip', { 'content-type': 'application/json', 'cache-control': 'no-transform' })).header('content-encoding')).toBeUndefined();
    const head = await h.call({ method: 'HEAD', url: '/z/x', headers: { 'accept-encoding': 'gzip' } }, { status: 200, headers: { 'content-type': 'application/json', 'content-length': '5000' } });
    expect(head.header('content-encoding')).toBeUndefined();
    await h.close();
  });

  it('compresses bodies of unknown length while streaming, and weakens the entity tag', async () => {
    const h = harness(config);
    const res = await h.call({ url: '/z/x', headers: { 'accept-encoding': 'gzip' } }, { status: 200, headers: { 'content-type': 'text/plain', etag: '"t"' }, body: ['a', 'b'] });
    expect(res.header('content-encoding')).toBe('gzip');
    expect(res.header('etag')).toBe('W/"t"');
    expect(gunzipSync(res.body).toString()).toBe('ab');
    await h.close();
  });
});
