import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startEchoUpstream, startHeldJwks, startTestIssuer, type EchoUpstream, type TestIssuer } from '@edge/testing';
import { startGateway, testConfig, type GatewayUnderTest } from './support/gateway-under-test';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

describe('gateway edge authentication (black box)', () => {
  let up: EchoUpstream;
  let issuer: TestIssuer;
  let gw: GatewayUnderTest;
  beforeAll(async () => {
    up = await startEchoUpstream();
    issuer = await startTestIssuer();
    gw = await startGateway(testConfig({ upstream: up.url, issuer: issuer.issuer, jwksUri: issuer.jwksUri }));
  });
  afterAll(async () => {
    await gw.stop();
    await issuer.close();
    await up.close();
  });
  beforeEach(() => up.requests.splice(0));

  const call = (token?: string, path = '/secure/orders') => request(gw.url + path, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const valid = (claims = {}) => issuer.mint({ scope: 'orders:read', ...claims });

  it('forwards a valid token with the gateway-set identity headers', async () => {
    const res = await call(await valid({ sub: 'alice', tenant: 'acme' }));
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const h = up.requests[0]!.headers;
    expect(h['authorization']).toMatch(/^Bearer /);
    expect(h['x-user-id']).toBe('alice');
    expect(h['x-tenant-id']).toBe('acme');
  });

  it('replaces forged identity headers with the validated ones', async () => {
    const res = await request(gw.url + '/secure/x', { headers: { authorization: `Bearer ${await valid({ sub: 'bob' })}`, 'x-user-id': 'admin', 'x-tenant-id': 'globex' } });
    await res.body.dump();
    expect(up.requests[0]!.headers['x-user-id']).toBe('bob');
    expect(up.requests[0]!.headers['x-tenant-id']).toBe('acme');
  });

  async function invalidTokens(): Promise<[string, string][]> {
    const good = await valid();
    const [h, p, s] = good.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const jwks = (await (await fetch(issuer.jwksUri)).json()) as { keys: { n: string }[] };
    const now = Math.floor(Date.now() / 1000);
    const hsKey = Buffer.from(jwks.keys[0]!.n, 'base64url');
    const hsHeader = b64({ alg: 'HS256', typ: 'JWT' });
    const hsBody = b64(payload);
    return [
      ['alg none', `${b64({ alg: 'none' })}.${p}.`],
      ['alg NoNe', `${b64({ alg: 'NoNe' })}.${p}.`],
      ['HS256 signed with the public key', `${hsHeader}.${hsBody}.${createHmac('sha256', hsKey).update(`${hsHeader}.${hsBody}`).digest('base64url')}`],
      ['tampered payload', `${h}.${b64({ ...payload, sub: 'admin' })}.${s}`],
      ['tampered signature', `${h}.${p}.${s.slice(0, -4)}AAAA`],
      ['expired', await valid({ exp: now - 120 })],
      ['not yet valid', await valid({ nbf: now + 600 })],
      ['wrong issuer', await valid({ iss: 'https://evil.example' })],
      ['wrong audience', await valid({ aud: 'orders-api' })],
      ['missing exp', await issuer.mint({ scope: 'orders:read' }, { noExp: true })],
      ['unknown kid', await issuer.mint({ scope: 'orders:read' }, { kid: 'nope' })],
      ['garbage', 'not.a.jwt'],
    ];
  }

  it('answers every invalid token with 401 invalid_token and never calls the upstream', async () => {
    for (const [name, token] of await invalidTokens()) {
      const res = await call(token);
      const body = (await res.body.json()) as Record<string, unknown>;
      expect({ name, status: res.statusCode }).toEqual({ name, status: 401 });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(body)).not.toContain(token.slice(-20));
    }
    expect(up.requests).toHaveLength(0);
  });

  it('answers a missing token with 401', async () => {
    const res = await call();
    expect(res.statusCode).toBe(401);
    await res.body.dump();
  });

  it('answers missing scopes with 403 insufficient_scope', async () => {
    const res = await call(await issuer.mint({ scope: 'catalog:read' }));
    expect(res.statusCode).toBe(403);
    expect(res.headers['www-authenticate']).toMatch(/insufficient_scope/);
    await res.body.dump();
    expect(up.requests).toHaveLength(0);
  });

  it('limits JWKS refetches caused by random kids', async () => {
    const before = issuer.jwksFetches();
    for (let i = 0; i < 10; i++) await (await call(await issuer.mint({ scope: 'orders:read' }, { kid: `random-${i}` }))).body.dump();
    expect(issuer.jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('picks up a rotated key without a restart', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // past the refetch cooldown of the test config
    await issuer.rotate();
    const res = await call(await valid());
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('keeps validating with cached keys while the IdP is down', async () => {
    const token = await valid({ sub: 'cached' });
    await issuer.close();
    const res = await call(token);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const unknown = await issuer.mint({ scope: 'orders:read' }, { kid: 'after-outage' });
    const started = Date.now();
    const refused = await call(unknown);
    expect(refused.statusCode).toBe(401);
    expect(Date.now() - started).toBeLessThan(2500);
    await refused.body.dump();
  });
});

describe('gateway readiness and the first JWKS fetch (black box)', () => {
  let up: EchoUpstream;
  beforeAll(async () => {
    up = await startEchoUpstream();
  });
  afterAll(async () => {
    await up.close();
  });

  it('is not ready until the first JWKS fetch has loaded keys', async () => {
    const issuer = await startTestIssuer();
    const held = await startHeldJwks(issuer);
    const gw = await startGateway(testConfig({ upstream: up.url, issuer: issuer.issuer, jwksUri: held.uri }), {}, '/healthz');
    try {
      const before = await request(`${gw.url}/readyz`);
      expect(before.statusCode).toBe(503);
      expect(((await before.body.json()) as { detail: string }).detail).toMatch(/jwks/);
      held.release();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        const res = await request(`${gw.url}/readyz`);
        status = res.statusCode;
        await res.body.dump();
        if (status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(200);
      const res = await request(`${gw.url}/secure/orders`, { headers: { authorization: `Bearer ${await issuer.mint({ scope: 'orders:read' })}` } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await gw.stop();
      held.close();
      await issuer.close();
    }
  });

  it('becomes ready when the first JWKS fetch fails: the IdP cannot keep the gateway out of service', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gw = await startGateway(testConfig({ upstream: up.url, issuer: `http://127.0.0.1:${port}`, jwksUri: `http://127.0.0.1:${port}/jwks` }));
    try {
      const res = await request(`${gw.url}/public/x`);
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await gw.stop();
    }
  });
});
