import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { startGateway, type GatewayUnderTest } from './support/gateway-under-test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function config(up: EchoUpstream, parts: { profile: string; orders: string; recs: string }): string {
  return `version: 1
server:
  http: { host: 127.0.0.1, port: 0 }
  trustedProxies: []
  admin: { basePath: /__gateway, tokenEnv: TEST_ADMIN_TOKEN, ipRules: loopback }
clusters:
  echo: { kind: service, destinations: { primary: { url: "${up.url}" } } }
  profile: { kind: service, destinations: { primary: { url: "${parts.profile}" } } }
  orders: { kind: service, destinations: { primary: { url: "${parts.orders}" } } }
  recs: { kind: service, destinations: { primary: { url: "${parts.recs}" } } }
policies:
  auth:
    public: { anonymous: true }
  rateLimits:
    tight: { keyBy: [ip], limit: 3, windowMs: 60000 }
  cache:
    shared: { scope: shared, defaultTtlMs: 30000, tags: [catalog] }
  cors:
    spa: { origins: ["http://localhost:3000"], methods: [GET, POST], allowHeaders: [content-type, x-request-id], maxAgeSec: 600 }
  ipRules:
    loopback: { allow: [127.0.0.0/8, ::1/128] }
    nobody-local: { deny: [127.0.0.0/8, ::1/128] }
  securityHeaders:
    default: { noSniff: true, frameAncestors: ["'none'"] }
  transforms:
    hide: { response: { strip: [server, x-powered-by, x-internal-*] }, jsonResponse: { removeFields: [secret], maxBufferBytes: 65536 } }
  requestRules:
    basics:
      deny:
        - { path: '/\\.git(/|$)', reason: repository files }
        - { query: '<script', ignoreCase: true, reason: script probe }
  compression:
    default: { encodings: [br, gzip], minBytes: 256 }
routes:
  - id: limited
    match: { path: /limited/** }
    cluster: echo
    auth: public
    rateLimits: [tight]
  - id: cached
    match: { path: /cached/**, methods: [GET, HEAD] }
    cluster: echo
    rewrite: { stripPrefix: true }
    auth: public
    cache: shared
  - id: cors
    match: { path: /cors/** }
    cluster: echo
    auth: public
    cors: spa
  - id: hygiene
    match: { path: /hygiene/** }
    cluster: echo
    auth: public
    securityHeaders: default
    transforms: hide
    requestRules: basics
    compression: default
  - id: blocked
    match: { path: /blocked/** }
    cluster: echo
    auth: public
    ipRules: nobody-local
  - id: dashboard
    match: { path: /dashboard, methods: [GET] }
    auth: public
    timeoutMs: 2000
    aggregate:
      parts:
        - { key: profile, cluster: profile, path: /profile, deadlineMs: 800, policy: required, token: none }
        - { key: orders, cluster: orders, path: "/orders?limit={query.limit}", deadlineMs: 800, policy: required, token: none }
        - { key: recommendations, cluster: recs, path: /recs, deadlineMs: 300, maxAttempts: 1, policy: optional, token: none }
  - id: dashboard-stale
    match: { path: /dashboard-stale, methods: [GET] }
    auth: public
    timeoutMs: 2000
    aggregate:
      parts:
        - { key: profile, cluster: profile, path: /profile, deadlineMs: 800, policy: required, token: none }
        - { key: recommendations, cluster: recs, path: /recs, deadlineMs: 300, maxAttempts: 1, policy: stale-allowed, maxStaleMs: 60000, token: none }
openapi:
  path: /openapi.json
  docsPath: /docs
  title: Test portal
  version: 1.0.0
  servers: ["http://gateway.example"]
  sources:
    - { cluster: echo, path: /openapi.json }
`;
}

describe('gateway edge policies, aggregation and portal (black box)', () => {
  let up: EchoUpstream;
  let profile: EchoUpstream;
  let orders: EchoUpstream;
  let recs: EchoUpstream;
  let gw: GatewayUnderTest;
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }).end(text);
  };

  beforeAll(async () => {
    [up, profile, orders, recs] = await Promise.all([startEchoUpstream(), startEchoUpstream(), startEchoUpstream(), startEchoUpstream()]);
    profile.handle((_q, res) => json(res, 200, { name: 'Alice' }));
    orders.handle((q, res) => json(res, 200, { items: [1, 2], url: q.url }));
    recs.handle((_q, res) => json(res, 200, { items: ['p1'] }));
    gw = await startGateway(config(up, { profile: profile.url, orders: orders.url, recs: recs.url }), { TEST_ADMIN_TOKEN: 'admin-secret-token' });
  });
  afterAll(async () => {
    await gw.stop();
    await Promise.all([up.close(), profile.close(), orders.close(), recs.close()]);
  });
  beforeEach(() => {
    up.requests.splice(0);
    up.handle(undefined);
  });

  it('rate-limits per client IP with RateLimit fields, and a spoofed X-Forwarded-For makes no new bucket', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof request>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await request(`${gw.url}/limited/x`, { headers: { 'x-forwarded-for': `10.0.0.${i}` } });
      statuses.push(last.statusCode);
      if (i === 0) {
        expect(last.headers['ratelimit-policy']).toBe('"tight";q=3;w=60');
        expect(last.headers['ratelimit']).toMatch(/^"tight";r=2;t=\d+$/);
      }
      await last.body.dump();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await request(`${gw.url}/limited/x`);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['ratelimit']).toMatch(/^"tight";r=0;t=\d+$/);
    expect(((await refused.body.json()) as { type: string }).type).toBe('urn:edge:problem:rate-limited');
  });

  it('caches a shared route, answers 304 to validators, and purges through the admin API', async () => {
    up.handle((_q, res) => json(res, 200, { n: up.requests.length }, { 'cache-control': 'max-age=60', etag: '"v1"' }));
    const first = await request(`${gw.url}/cached/item`);
    expect(first.headers['cache-status']).toMatch(/fwd=miss/);
    await first.body.dump();
    const second = await request(`${gw.url}/cached/item`);
    expect(second.headers['cache-status']).toMatch(/hit/);
    await second.body.dump();
    expect(up.requests).toHaveLength(1);
    const conditional = await request(`${gw.url}/cached/item`, { headers: { 'if-none-match': '"v1"' } });
    expect(conditional.statusCode).toBe(304);
    await conditional.body.dump();
    const denied = await request(`${gw.url}/__gateway/cache/purge`, { method: 'POST', body: JSON.stringify({ prefix: '/cached/' }), headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' } });
    expect(denied.statusCode).toBe(401);
    await denied.body.dump();
    const purge = await request(`${gw.url}/__gateway/cache/purge`, { method: 'POST', body: JSON.stringify({ prefix: '/cached/' }), headers: { 'content-type': 'application/json', authorization: 'Bearer admin-secret-token' } });
    expect(purge.statusCode).toBe(200);
    expect(((await purge.body.json()) as { purged: number }).purged).toBeGreaterThanOrEqual(1);
    await (await request(`${gw.url}/cached/item`)).body.dump();
    expect(up.requests).toHaveLength(2);
  });

  it('answers CORS preflights at the edge and refuses unknown origins', async () => {
    const ok = await request(`${gw.url}/cors/x`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(ok.headers['access-control-max-age']).toBe('600');
    await ok.body.dump();
    const bad = await request(`${gw.url}/cors/x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(bad.statusCode).toBe(403);
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
    await bad.body.dump();
    expect(up.requests).toHaveLength(0);
    const actual = await request(`${gw.url}/cors/x`, { headers: { origin: 'http://localhost:3000' } });
    expect(actual.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(String(actual.headers['vary'])).toMatch(/origin/i);
    await actual.body.dump();
  });

  it('applies security headers, strips internal headers and denied JSON fields, compresses by Accept-Encoding', async () => {
    up.handle((_q, res) => json(res, 200, { visible: 'x'.repeat(600), secret: 'hidden-value' }, { server: 'upstream/1.0', 'x-powered-by': 'php', 'x-internal-node': 'n7' }));
    const br = await request(`${gw.url}/hygiene/x`, { headers: { 'accept-encoding': 'gzip;q=0.5, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['x-content-type-options']).toBe('nosniff');
    expect(String(br.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    for (const h of ['server', 'x-powered-by', 'x-internal-node']) expect(br.headers[h]).toBeUndefined();
    const body = JSON.parse(brotliDecompressSync(Buffer.from(await br.body.arrayBuffer())).toString()) as Record<string, unknown>;
    expect(body['secret']).toBeUndefined();
    expect(body['visible']).toBeDefined();
    const gz = await request(`${gw.url}/hygiene/x`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await gz.body.arrayBuffer())).toString())).not.toHaveProperty('secret');
    const plain = await request(`${gw.url}/hygiene/x`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    await plain.body.dump();
  });

  it('denies by request rules and by IP rules with 403 problems, without calling the upstream', async () => {
    const git = await request(`${gw.url}/hygiene/.git/config`);
    expect(git.statusCode).toBe(403);
    expect(((await git.body.json()) as { type: string }).type).toBe('urn:edge:problem:request-denied');
    const probe = await request(`${gw.url}/hygiene/search?q=%3CSCRIPT%3Ealert(1)`);
    await probe.body.dump();
    const raw = await request(`${gw.url}/hygiene/search?q=<script>`);
    expect(raw.statusCode).toBe(403);
    await raw.body.dump();
    const blocked = await request(`${gw.url}/blocked/x`);
    expect(blocked.statusCode).toBe(403);
    expect(((await blocked.body.json()) as { type: string }).type).toBe('urn:edge:problem:ip-denied');
    expect(up.requests.filter((r) => r.url.includes('.git') || r.url.includes('blocked') || r.url.includes('<script'))).toHaveLength(0);
  });

  it('aggregates parts in parallel and merges them under their keys', async () => {
    const res = await request(`${gw.url}/dashboard?limit=5`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['partial-response']).toBeUndefined();
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(body).toEqual({ profile: { name: 'Alice' }, orders: { items: [1, 2], url: '/orders?limit=5' }, recommendations: { items: ['p1'] } });
  });

  it('answers with the partial contract within the budget when an optional part hangs', async () => {
    recs.handle(() => undefined);
    const started = Date.now();
    const res = await request(`${gw.url}/dashboard?limit=5`);
    expect(Date.now() - started).toBeLessThan(1200);
    expect(res.statusCode).toBe(200);
    expect(res.headers['partial-response']).toBe('true');
    expect(res.headers['cache-control']).toBe('no-store');
    const body = (await res.body.json()) as { warnings: { code: string }[]; recommendations?: unknown };
    expect(body.recommendations).toBeUndefined();
    expect(body.warnings.map((w) => w.code)).toEqual(['recommendations-unavailable']);
    recs.handle((_q, r) => json(r, 200, { items: ['p1'] }));
  });

  it('serves a stale-allowed part from its last good value, with a warning', async () => {
    const fresh = await request(`${gw.url}/dashboard-stale`);
    expect(((await fresh.body.json()) as { recommendations: unknown }).recommendations).toEqual({ items: ['p1'] });
    recs.handle((_q, res) => res.writeHead(503).end());
    const stale = await request(`${gw.url}/dashboard-stale`);
    expect(stale.statusCode).toBe(200);
    expect(stale.headers['partial-response']).toBe('true');
    const body = (await stale.body.json()) as { recommendations: unknown; warnings: { code: string; stale?: boolean }[] };
    expect(body.recommendations).toEqual({ items: ['p1'] });
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'recommendations-unavailable', stale: true })]);
    recs.handle((_q, r) => json(r, 200, { items: ['p1'] }));
  });

  it('fails the request with the problem of a required part', async () => {
    orders.handle((_q, res) => res.writeHead(503).end());
    const res = await request(`${gw.url}/dashboard`);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    await res.body.dump();
    orders.handle(() => undefined);
    const slow = await request(`${gw.url}/dashboard`);
    expect(slow.statusCode).toBe(504);
    await slow.body.dump();
    orders.handle((q, r) => json(r, 200, { items: [1, 2], url: q.url }));
  });

  it('publishes a valid OpenAPI 3.1 document at the external paths, and a docs page', async () => {
    up.handle((_q, res) =>
      json(res, 200, {
        openapi: '3.1.0',
        info: { title: 'echo', version: '1' },
        paths: { '/item': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } } } } } },
        components: { schemas: { Item: { type: 'object' } } },
      }),
    );
    const res = await request(`${gw.url}/openapi.json`);
    expect(res.statusCode).toBe(200);
    const doc = (await res.body.json()) as { paths: Record<string, unknown>; servers: { url: string }[] };
    const validator = new Validator();
    const result = await validator.validate(doc as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/cached/item', '/dashboard']));
    expect(doc.servers).toEqual([{ url: 'http://gateway.example' }]);
    const docs = await request(`${gw.url}/docs`);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(await docs.body.text()).toContain('/openapi.json');
    await sleep(0);
  });
});
