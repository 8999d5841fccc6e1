import { ConfigError } from '@edge/config';
import { isProblemException, type ProblemException } from '@edge/problem-details';
import { freePort } from '@edge/testing';
import { authorizeWith } from './authorize-with';
import { DownstreamTokenProvider, tokenOf } from './downstream-token.provider';
import type { DownstreamTokenOptions } from './downstream-token.options';
import { startFakeTokenEndpoint, type FakeTokenEndpoint } from './fake-token-endpoint.fixture';

const ALICE = 'alice.edge-api.token';
const BOB = 'bob.edge-api.token';

function identity(token: string): object {
  const value = { sub: token.split('.')[0] };
  Object.defineProperty(value, 'token', { value: token, enumerable: false });
  return value;
}

async function problemOf(promise: Promise<unknown>): Promise<ProblemException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProblemException(error)) throw new Error(`expected a problem, got ${String(error)}`);
  return error;
}

describe('DownstreamTokenProvider', () => {
  let idp: FakeTokenEndpoint;
  const options = (overrides: Partial<DownstreamTokenOptions> = {}): DownstreamTokenOptions => ({
    // Generous: a loaded CI machine can take long for a first loopback exchange; the hang test shortens it.
    client: { tokenEndpoint: idp.tokenEndpoint, clientId: 'bff-mobile', clientSecret: 's3cret:/x', timeoutMs: 5000 },
    dependencies: {
      orders: { mode: 'exchange', resource: 'urn:orders-api', scopes: ['orders:read', 'orders:write'] },
      'orders-admin': { mode: 'exchange', resource: 'urn:orders-api', scopes: ['orders:write', 'orders:read'] },
      catalog: { mode: 'exchange', resource: 'urn:catalog-api', scopes: ['catalog:read'] },
      echo: { mode: 'forward' },
    },
    ...overrides,
  });

  beforeEach(async () => {
    idp = await startFakeTokenEndpoint();
  });
  afterEach(async () => {
    await idp.close();
  });

  it('forwards the caller token as it is, and gives anonymous callers no token', async () => {
    const tokens = new DownstreamTokenProvider(options());
    await expect(tokens.tokenFor('echo', identity(ALICE))).resolves.toBe(ALICE);
    await expect(tokens.tokenFor('orders', undefined)).resolves.toBeUndefined();
    await expect(tokens.tokenFor('orders', { sub: 'no-token' })).resolves.toBeUndefined();
    expect(idp.received).toHaveLength(0);
  });

  it('exchanges per RFC 8693 with client_secret_basic, the target and the narrowed scopes', async () => {
    const tokens = new DownstreamTokenProvider(options());
    const token = await tokens.tokenFor('orders', identity(ALICE));
    expect(token).toBe(`exchanged:${ALICE}:urn:orders-api:orders:read orders:write:1`);
    expect(idp.received).toHaveLength(1);
    const [call] = idp.received;
    expect(Object.fromEntries(call!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: ALICE,
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      resource: 'urn:orders-api',
      scope: 'orders:read orders:write',
    });
    // id and secret are form-encoded before base64 (RFC 6749 §2.3.1).
    expect(Buffer.from(call!.authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('bff-mobile:s3cret%3A%2Fx');
    await expect(tokens.authorizationFor('orders', ALICE)).resolves.toBe(`Bearer ${token}`);
    expect(idp.received).toHaveLength(1);
  });

  it('runs one exchange for N concurrent requests of the same caller', async () => {
    idp.answer = (call, n) => ({ delayMs: 50, body: { access_token: `t-${call.form.get('subject_token')}-${n}`, token_type: 'Bearer', expires_in: 300 } });
    const tokens = new DownstreamTokenProvider(options());
    const results = await Promise.all(Array.from({ length: 25 }, () => tokens.tokenFor('orders', identity(ALICE))));
    expect(idp.received).toHaveLength(1);
    expect(new Set(results)).toEqual(new Set([`t-${ALICE}-1`]));
  });

  it('never mixes two users, even when their requests interleave', async () => {
    idp.answer = (call, n) => ({ delayMs: 30, body: { access_token: `t-${call.form.get('subject_token')}-${n}`, token_type: 'Bearer', expires_in: 300 } });
    const tokens = new DownstreamTokenProvider(options());
    const subjects = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ALICE : BOB));
    const results = await Promise.all(subjects.map((s) => tokens.tokenFor('orders', identity(s))));
    expect(idp.received).toHaveLength(2);
    subjects.forEach((subject, i) => expect(results[i]).toMatch(new RegExp(`^t-${subject.replace(/\./g, '\\.')}-[12]$`)));
    expect(new Set(results).size).toBe(2);
  });

  it('keys on target and scopes: the same target with the same scopes shares, another target does not', async () => {
    const tokens = new DownstreamTokenProvider(options());
    const a = await tokens.tokenFor('orders', ALICE);
    const b = await tokens.tokenFor('orders-admin', ALICE);
    const c = await tokens.tokenFor('catalog', ALICE);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(idp.received.map((r) => r.form.get('resource'))).toEqual(['urn:orders-api', 'urn:catalog-api']);
  });

  it('serves a cached token until shortly before it expires (the smaller of 30 s and 10% of its life)', async () => {
    let now = 1_000_000;
    idp.answer = (_call, n) => ({ body: { access_token: `t${n}`, token_type: 'Bearer', expires_in: 60 } });
    const tokens = new DownstreamTokenProvider(options(), { now: () => now });
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t1');
    now += 53_999; // 60 s lifetime − 6 s margin
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t1');
    now += 1;
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t2');
    idp.answer = (_call, n) => ({ body: { access_token: `t${n}`, token_type: 'Bearer', expires_in: 600 } });
    now += 100_000;
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t3');
    now += 569_999; // 600 s lifetime − 30 s margin
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t3');
    now += 1;
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t4');
  });

  it('does not cache a token without expires_in beyond its single flight', async () => {
    idp.answer = (_call, n) => ({ body: { access_token: `t${n}`, token_type: 'Bearer' } });
    const tokens = new DownstreamTokenProvider(options());
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t1');
    await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t2');
  });

  it('keeps the cache bounded (least recently used first out)', async () => {
    const tokens = new DownstreamTokenProvider(options({ cache: { maxEntries: 2 } }));
    await tokens.tokenFor('orders', 'u1');
    await tokens.tokenFor('orders', 'u2');
    await tokens.tokenFor('orders', 'u1');
    await tokens.tokenFor('orders', 'u3');
    expect(tokens.cacheSize).toBe(2);
    expect(idp.received).toHaveLength(3);
    await tokens.tokenFor('orders', 'u1');
    expect(idp.received).toHaveLength(3);
    await tokens.tokenFor('orders', 'u2');
    expect(idp.received).toHaveLength(4);
  });

  it('finds the token endpoint through issuer discovery, once (ahead of time with prepare)', async () => {
    const tokens = new DownstreamTokenProvider(options({ client: { issuer: idp.issuer, clientId: 'bff-mobile', clientSecret: 'x' } }));
    await tokens.prepare();
    expect(idp.discoveries).toBe(1);
    expect(idp.received).toHaveLength(0);
    await Promise.all([tokens.tokenFor('orders', ALICE), tokens.tokenFor('catalog', BOB)]);
    await tokens.tokenFor('orders', BOB);
    expect(idp.discoveries).toBe(1);
    expect(idp.received).toHaveLength(3);
  });

  describe('failures', () => {
    it('answers 503 dependency-unavailable when the IdP cannot be reached', async () => {
      const port = await freePort();
      const tokens = new DownstreamTokenProvider(options({ client: { tokenEndpoint: `http://127.0.0.1:${port}/token`, clientId: 'c', clientSecret: 's' } }));
      const error = await problemOf(tokens.tokenFor('orders', ALICE));
      expect(error.code).toBe('dependency-unavailable');
      expect(error.status).toBe(503);
      expect(error.headers['retry-after']).toBe('1');
    });

    it('answers 503 when the IdP hangs past its timeout, and 5xx, and garbage', async () => {
      idp.answer = () => ({ hang: true });
      const tokens = new DownstreamTokenProvider(options({ client: { tokenEndpoint: idp.tokenEndpoint, clientId: 'bff-mobile', clientSecret: 's3cret:/x', timeoutMs: 300 } }));
      const started = Date.now();
      expect((await problemOf(tokens.tokenFor('orders', ALICE))).code).toBe('dependency-unavailable');
      expect(Date.now() - started).toBeLessThan(2_500);
      idp.answer = () => ({ status: 500, body: { error: 'server_error' } });
      expect((await problemOf(tokens.tokenFor('orders', ALICE))).code).toBe('dependency-unavailable');
      idp.answer = () => ({ status: 200, body: 'not json' });
      expect((await problemOf(tokens.tokenFor('orders', ALICE))).code).toBe('dependency-unavailable');
      idp.answer = (_c, n) => ({ body: { access_token: `t${n}`, token_type: 'Bearer', expires_in: 60 } });
      await expect(tokens.tokenFor('orders', ALICE)).resolves.toBe('t4');
    });

    it('answers 401 invalid-token when the IdP refuses the caller token, without echoing it', async () => {
      for (const error of ['invalid_request', 'invalid_grant']) {
        idp.answer = () => ({ status: 400, body: { error, error_description: 'subject_token is not valid' } });
        const tokens = new DownstreamTokenProvider(options());
        const problem = await problemOf(tokens.tokenFor('orders', ALICE));
        expect(problem.status).toBe(401);
        expect(problem.code).toBe('invalid-token');
        expect(problem.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
        let chain: unknown = problem;
        while (chain instanceof Error) {
          expect(`${chain.message} ${chain.stack ?? ''}`).not.toContain(ALICE);
          chain = chain.cause;
        }
      }
    });

    it('answers 403 insufficient-scope when the scopes are refused, 502 when this client is refused', async () => {
      idp.answer = () => ({ status: 400, body: { error: 'invalid_scope' } });
      const tokens = new DownstreamTokenProvider(options());
      const scope = await problemOf(tokens.tokenFor('orders', ALICE));
      expect(scope.status).toBe(403);
      expect(scope.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="orders:read orders:write"');
      for (const [status, error] of [[401, 'invalid_client'], [400, 'unauthorized_client'], [400, 'invalid_target']] as const) {
        idp.answer = () => ({ status, body: { error } });
        const refused = await problemOf(tokens.tokenFor('orders', BOB));
        expect(refused.code).toBe('bad-gateway');
        expect(refused.status).toBe(502);
      }
    });

    it('lets a caller whose deadline passes leave with 504 while the shared exchange serves the others', async () => {
      idp.answer = (_c, n) => ({ delayMs: 150, body: { access_token: `t${n}`, token_type: 'Bearer', expires_in: 60 } });
      const tokens = new DownstreamTokenProvider(options());
      const patient = tokens.tokenFor('orders', ALICE);
      const hurried = tokens.tokenFor('orders', ALICE, { signal: AbortSignal.timeout(20) });
      const problem = await problemOf(hurried);
      expect(problem.status).toBe(504);
      await expect(patient).resolves.toBe('t1');
      expect(idp.received).toHaveLength(1);
    });
  });

  describe('options', () => {
    it('reports every problem at once', () => {
      let error: unknown;
      try {
        new DownstreamTokenProvider({
          client: { clientId: '', clientSecret: 'x', timeoutMs: 0 },
          dependencies: {
            a: { mode: 'exchange', scopes: ['bad scope'] },
            b: { mode: 'forward', resource: 'urn:x' } as never,
            c: { mode: 'swap' } as never,
          },
          cache: { refreshRatio: 2, size: 3 } as never,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.key)).toEqual([
        'dependencies.a',
        'dependencies.a.scopes',
        'dependencies.a.client',
        'dependencies.a.client.clientId',
        'dependencies.a.client.timeoutMs',
        'dependencies.b.resource',
        'dependencies.c.mode',
        'cache.size',
        'cache.refreshRatio',
      ]);
    });

    it('throws for a dependency without a policy (a bug, not a client error)', async () => {
      const tokens = new DownstreamTokenProvider(options());
      await expect(tokens.tokenFor('nope', ALICE)).rejects.toThrow(/no downstream token policy for dependency "nope"/);
      expect(() => authorizeWith(tokens, 'nope')).toThrow(/no downstream token policy/);
    });
  });

  describe('authorizeWith', () => {
    it("takes the identity's non-enumerable token from the call's request context", async () => {
      const tokens = new DownstreamTokenProvider(options());
      const hook = authorizeWith(tokens, 'catalog');
      const signal = new AbortController().signal;
      await expect(hook({ request: { identity: identity(BOB) }, signal })).resolves.toBe(`Bearer exchanged:${BOB}:urn:catalog-api:catalog:read:1`);
      await expect(hook({ request: undefined, signal })).resolves.toBeUndefined();
      await expect(hook({ request: {}, signal })).resolves.toBeUndefined();
      expect(JSON.stringify(identity(BOB))).not.toContain(BOB);
      expect(tokenOf(identity(BOB))).toBe(BOB);
    });
  });
});
