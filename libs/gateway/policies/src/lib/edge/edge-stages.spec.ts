import { createPolicyEngine } from '../create-policy-engine';
import { MemoryStateStore } from '@edge/state';
import pino from 'pino';
import { runExchange } from '../testing/run-exchange';
import { baseConfig, compileTestConfig } from '../testing/test-config';
import { testExchange } from '../testing/test-exchange';

const log = pino({ level: 'silent' });

const config = compileTestConfig(
  baseConfig({
    policies: {
      ipRules: {
        office: { allow: ['10.0.0.0/8', '2001:db8:1::/48'], deny: ['10.9.0.0/16', '2001:db8:1:dead::/64'] },
        'no-bad': { deny: ['198.51.100.0/24', '2001:db8:bad::/48'] },
      },
      requestRules: {
        basics: {
          deny: [
            { methods: ['TRACE'], reason: 'diagnostic' },
            { path: '/\\.(git|env)(/|$)', reason: 'repository files' },
            { query: '<script', ignoreCase: true, reason: 'script probe' },
            { header: { name: 'x-debug', pattern: '^on$' }, reason: 'debug switch' },
          ],
        },
      },
      cors: {
        spa: { origins: ['http://localhost:3000'], methods: ['GET', 'POST', 'DELETE'], allowHeaders: ['authorization', 'content-type'], exposeHeaders: ['etag', 'ratelimit'], maxAgeSec: 600 },
        creds: { origins: ['https://app.example'], credentials: true },
        anyone: { origins: ['*'] },
      },
      securityHeaders: { default: { noSniff: true, frameAncestors: ["'none'"], referrerPolicy: 'no-referrer' } },
    },
    routes: [
      { id: 'office', match: { path: '/office/**' }, ipRules: 'office' },
      { id: 'open', match: { path: '/open/**' }, ipRules: 'no-bad', requestRules: 'basics', securityHeaders: 'default' },
      { id: 'spa', match: { path: '/api/**' }, cors: 'spa' },
      { id: 'creds', match: { path: '/creds/**' }, cors: 'creds' },
      { id: 'anyone', match: { path: '/anyone/**' }, cors: 'anyone' },
    ],
  }),
);

const engine = createPolicyEngine(config, { state: new MemoryStateStore(), log });
let upstreamCalls = 0;
const upstream = () => {
  upstreamCalls++;
  return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
};
const run = (request: Parameters<typeof testExchange>[1]) => {
  const { exchange } = testExchange(config, request);
  return runExchange(engine, exchange, upstream).then((res) => ({ res, exchange }));
};

afterAll(() => engine.close());
beforeEach(() => (upstreamCalls = 0));

describe('IP rules', () => {
  it.each([
    ['10.1.2.3', 200],
    ['10.9.0.1', 403], // deny wins inside the allowed range
    ['192.168.1.1', 403], // outside a non-empty allow list
    ['::ffff:10.1.2.3', 200], // IPv4-mapped IPv6 matches the IPv4 block
    ['2001:db8:1:2::5', 200],
    ['2001:db8:1:dead::1', 403],
    ['2001:db8:2::1', 403],
  ])('office route: %s → %i', async (clientIp, status) => {
    const { res } = await run({ url: '/office/x', clientIp });
    expect(res.statusCode).toBe(status);
    if (status === 403) {
      expect(res.header('content-type')).toBe('application/problem+json');
      expect(JSON.parse(res.body.toString()).type).toBe('urn:edge:problem:ip-denied');
    }
  });

  it('deny-only lists admit everyone else, v4 and v6, and never reach the upstream when denied', async () => {
    expect((await run({ url: '/open/x', clientIp: '198.51.100.9' })).res.statusCode).toBe(403);
    expect((await run({ url: '/open/x', clientIp: '2001:db8:bad:1::1' })).res.statusCode).toBe(403);
    expect(upstreamCalls).toBe(0);
    expect((await run({ url: '/open/x', clientIp: '203.0.113.1' })).res.statusCode).toBe(200);
    expect((await run({ url: '/open/x', clientIp: '2001:db8:cafe::1' })).res.statusCode).toBe(200);
  });

  it('uses the resolved client address only: X-Forwarded-For cannot choose it', async () => {
    const { res } = await run({ url: '/office/x', clientIp: '192.168.1.1', headers: { 'x-forwarded-for': '10.1.2.3' } });
    expect(res.statusCode).toBe(403);
  });
});

describe('request deny rules', () => {
  it.each([
    [{ method: 'TRACE', url: '/open/x' }, 'diagnostic'],
    [{ url: '/open/.git/config' }, 'repository files'],
    [{ url: '/open/a/.env' }, 'repository files'],
    [{ url: '/open/search?q=%3CSCRIPT%3Ealert(1)' }, 'script probe'],
    [{ url: '/open/x', headers: { 'x-debug': 'on' } }, 'debug switch'],
  ])('%j is denied with 403 and the reason stays in the log notes', async (request, reason) => {
    const { res, exchange } = await run(request);
    expect(res.statusCode).toBe(403);
    const body = JSON.parse(res.body.toString());
    expect(body.type).toBe('urn:edge:problem:request-denied');
    expect(res.body.toString()).not.toContain(reason);
    expect(exchange.notes['denyReason']).toBe(reason);
    expect(upstreamCalls).toBe(0);
  });

  it.each([{ url: '/open/gitlog' }, { url: '/open/x?q=script' }, { url: '/open/x', headers: { 'x-debug': 'off' } }])('%j passes', async (request) => {
    expect((await run(request)).res.statusCode).toBe(200);
  });
});

describe('security headers', () => {
  it('are on successes and refusals; HSTS only over TLS', async () => {
    const plain = (await run({ url: '/open/x' })).res;
    expect(plain.header('x-content-type-options')).toBe('nosniff');
    expect(plain.header('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(plain.header('x-frame-options')).toBe('DENY');
    expect(plain.header('referrer-policy')).toBe('no-referrer');
    expect(plain.header('strict-transport-security')).toBeUndefined();
    const tls = (await run({ url: '/open/x', tls: true })).res;
    expect(tls.header('strict-transport-security')).toBe('max-age=31536000');
    const denied = (await run({ url: '/open/.git', tls: true })).res;
    expect(denied.statusCode).toBe(403);
    expect(denied.header('x-content-type-options')).toBe('nosniff');
    expect(denied.header('strict-transport-security')).toBe('max-age=31536000');
  });
});

describe('CORS', () => {
  const preflight = (headers: Record<string, string>, url = '/api/items') => run({ method: 'OPTIONS', url, headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'DELETE', ...headers } });

  it('answers an allowed preflight at the edge with 204, the Allow-* headers and max-age', async () => {
    const { res } = await preflight({ 'access-control-request-headers': 'Authorization, Content-Type' });
    expect(res.statusCode).toBe(204);
    expect(res.header('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.header('access-control-allow-methods')).toBe('GET, POST, DELETE');
    expect(res.header('access-control-allow-headers')).toBe('authorization, content-type');
    expect(res.header('access-control-max-age')).toBe('600');
    expect(res.header('access-control-allow-credentials')).toBeUndefined();
    expect(res.header('vary')).toContain('Origin');
    expect(upstreamCalls).toBe(0);
  });

  it.each([
    [{ origin: 'http://evil.example' }, 'origin-refused'],
    [{ 'access-control-request-method': 'PUT' }, 'method-refused'],
    [{ 'access-control-request-headers': 'x-secret' }, 'header-refused'],
  ])('refuses %j with a 403 problem that carries no CORS header', async (headers, note) => {
    const { res, exchange } = await preflight(headers);
    expect(res.statusCode).toBe(403);
    expect(res.header('content-type')).toBe('application/problem+json');
    expect(res.header('access-control-allow-origin')).toBeUndefined();
    expect(res.header('access-control-allow-methods')).toBeUndefined();
    expect(exchange.notes['cors']).toBe(note);
    expect(upstreamCalls).toBe(0);
  });

  it('marks actual requests from allowed origins, and only those', async () => {
    const allowed = (await run({ url: '/api/items', headers: { origin: 'http://localhost:3000' } })).res;
    expect(allowed.statusCode).toBe(200);
    expect(allowed.header('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.header('access-control-expose-headers')).toBe('etag, ratelimit');
    expect(allowed.header('vary')).toBe('Origin');
    const other = (await run({ url: '/api/items', headers: { origin: 'http://evil.example' } })).res;
    expect(other.statusCode).toBe(200);
    expect(other.header('access-control-allow-origin')).toBeUndefined();
    expect(other.header('vary')).toBe('Origin');
    const none = (await run({ url: '/api/items' })).res;
    expect(none.header('access-control-allow-origin')).toBeUndefined();
  });

  it('sends credentials only with an explicit origin, never with *', async () => {
    const creds = (await run({ url: '/creds/x', headers: { origin: 'https://app.example' } })).res;
    expect(creds.header('access-control-allow-origin')).toBe('https://app.example');
    expect(creds.header('access-control-allow-credentials')).toBe('true');
    const any = (await run({ url: '/anyone/x', headers: { origin: 'https://whoever.example' } })).res;
    expect(any.header('access-control-allow-origin')).toBe('*');
    expect(any.header('access-control-allow-credentials')).toBeUndefined();
    expect(any.header('vary')).toBeUndefined();
  });

  it('merges Vary: Origin with the upstream Vary instead of replacing it', async () => {
    const { exchange } = testExchange(config, { url: '/api/items', headers: { origin: 'http://localhost:3000' } });
    const res = await runExchange(engine, exchange, () => ({ status: 200, headers: { vary: 'Accept-Language' }, body: 'x' }));
    expect(res.header('vary')).toBe('Accept-Language, Origin');
  });

  it('lets a non-CORS OPTIONS request through to the upstream', async () => {
    const { res } = await run({ method: 'OPTIONS', url: '/api/items' });
    expect(res.statusCode).toBe(200);
    expect(upstreamCalls).toBe(1);
  });
});
