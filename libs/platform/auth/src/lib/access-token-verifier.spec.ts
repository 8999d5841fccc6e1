import { randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from '@edge/testing';
import { AccessTokenVerifier } from './access-token-verifier';
import type { AuthPolicy } from './auth-policy';
import { JwksKeyStore } from './jwks-key-store';
import { authProblem, InsufficientScopeError, KeysUnavailableError, TokenError, type TokenErrorReason } from './token-error';
import {
  decodePayload,
  forgeToken,
  hmacWithPublicKey,
  publicJwks,
  sign,
  signingKey,
  startKeyServer,
  withBrokenSignature,
  withPayload,
} from './testing/token-forgery';

const AUD = 'orders-api';

async function reasonOf(promise: Promise<unknown>): Promise<TokenErrorReason | string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof KeysUnavailableError) return 'keys-unavailable';
    return error instanceof TokenError ? error.reason : `unexpected ${String(error)}`;
  }
}

describe('AccessTokenVerifier', () => {
  let issuer: TestIssuer;
  let verifier: AccessTokenVerifier;
  const policy = (extra: Partial<AuthPolicy> = {}): AuthPolicy => ({
    issuer: issuer.issuer,
    audience: AUD,
    jwksUri: issuer.jwksUri,
    clockToleranceSec: 5,
    jwks: { refreshIntervalMs: 0 },
    ...extra,
  });
  const mint = (claims: Record<string, unknown> = {}, options: Parameters<TestIssuer['mint']>[1] = {}) =>
    issuer.mint({ aud: AUD, scope: 'openid orders:read', ...claims }, options);

  beforeEach(async () => {
    issuer = await startTestIssuer();
    verifier = new AccessTokenVerifier(policy());
  });
  afterEach(async () => {
    verifier.close();
    await issuer.close();
  });

  it('accepts a valid token and returns the identity', async () => {
    const token = await mint({ sub: 'bob', tenant: 'acme', client_id: 'mobile-app' });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({ sub: 'bob', tenant: 'acme', clientId: 'mobile-app' });
    expect([...identity.scopes].sort()).toEqual(['openid', 'orders:read']);
    expect(identity.expiresAt).toBe((decodePayload(token)['exp'] as number) * 1000);
    expect(identity.token).toBe(token);
    expect(JSON.stringify(identity)).not.toContain(token);
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s (unsigned) before any key lookup', async (alg) => {
    const claims = decodePayload(await mint());
    const before = issuer.jwksFetches();
    expect(await reasonOf(verifier.verify(forgeToken({ alg, typ: 'JWT' }, claims)))).toBe('alg-not-allowed');
    expect(await reasonOf(verifier.verify(forgeToken({ alg, typ: 'JWT' }, claims, 'c2ln')))).toBe('alg-not-allowed');
    expect(issuer.jwksFetches()).toBe(before);
  });

  it('rejects HS256 signed with the public key (RS/HS confusion)', async () => {
    const claims = decodePayload(await mint());
    const [jwk] = await publicJwks(issuer.jwksUri);
    expect(await reasonOf(verifier.verify(hmacWithPublicKey(jwk as never, claims)))).toBe('alg-not-allowed');
  });

  it('rejects a tampered payload and a tampered signature', async () => {
    const token = await mint({ sub: 'alice' });
    expect(await reasonOf(verifier.verify(withPayload(token, { ...decodePayload(token), sub: 'mallory' })))).toBe('bad-signature');
    expect(await reasonOf(verifier.verify(withBrokenSignature(token)))).toBe('bad-signature');
  });

  it('rejects expired, not-yet-valid, wrong issuer, wrong audience and missing exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reasonOf(verifier.verify(await mint({ exp: now - 60, iat: now - 600 })))).toBe('expired');
    expect(await reasonOf(verifier.verify(await mint({ nbf: now + 600 })))).toBe('not-yet-valid');
    expect(await reasonOf(verifier.verify(await mint({ iss: 'https://evil.example' })))).toBe('wrong-issuer');
    expect(await reasonOf(verifier.verify(await mint({ aud: 'catalog-api' })))).toBe('wrong-audience');
    expect(await reasonOf(verifier.verify(await mint({}, { noExp: true })))).toBe('missing-claim');
    expect(await reasonOf(verifier.verify(await mint({ sub: undefined })))).toBe('missing-claim');
  });

  it('honours the clock tolerance for exp and nbf, and no more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await reasonOf(verifier.verify(await mint({ exp: now - 2 })))).toBe('accepted');
    expect(await reasonOf(verifier.verify(await mint({ nbf: now + 2 })))).toBe('accepted');
    expect(await reasonOf(verifier.verify(await mint({ exp: now - 30 })))).toBe('expired');
  });

  it('accepts any of several audiences and an audience array in the token', async () => {
    const multi = new AccessTokenVerifier(policy({ audience: ['a-api', AUD] }));
    expect(await reasonOf(multi.verify(await mint({ aud: ['other', AUD] })))).toBe('accepted');
    expect(await reasonOf(multi.verify(await mint({ aud: ['other', 'more'] })))).toBe('wrong-audience');
  });

  it('fails closed on an unknown kid and on garbage', async () => {
    expect(await reasonOf(verifier.verify(await mint({}, { kid: randomUUID() })))).toBe('unknown-key');
    for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', '!!.!!.!!', `${Buffer.from('[]').toString('base64url')}.e30.c2ln`]) {
      expect(await reasonOf(verifier.verify(junk))).toBe('malformed');
    }
  });

  it('parses Authorization headers strictly', async () => {
    const token = await mint();
    expect(await reasonOf(verifier.verifyAuthorization(`Bearer ${token}`))).toBe('accepted');
    expect(await reasonOf(verifier.verifyAuthorization(`bearer ${token}`))).toBe('accepted');
    expect(await reasonOf(verifier.verifyAuthorization(undefined))).toBe('missing');
    expect(await reasonOf(verifier.verifyAuthorization(`Basic ${token}`))).toBe('malformed');
    expect(await reasonOf(verifier.verifyAuthorization(`Bearer ${token} extra`))).toBe('malformed');
    expect(await reasonOf(verifier.verifyAuthorization([`Bearer ${token}`, `Bearer ${token}`]))).toBe('malformed');
  });

  it('enforces required scopes from the policy and the call (403, not 401)', async () => {
    const strict = new AccessTokenVerifier(policy({ requiredScopes: ['orders:read'] }));
    const token = await mint({ scope: 'orders:read' });
    await expect(strict.authorize(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'alice' });
    const error = await strict.authorize(`Bearer ${token}`, ['orders:write']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).missing).toEqual(['orders:write']);
    expect((await strict.authorize(`Bearer ${await mint({ scope: 'profile:read' })}`).catch((e: unknown) => e)) instanceof InsufficientScopeError).toBe(true);
    const scp = await verifier.verify(await mint({ scope: undefined, scp: ['a', 'b'] }));
    expect([...scp.scopes]).toEqual(['a', 'b']);
  });

  it('reads the tenant from the configured claim and rejects a non-string tenant', async () => {
    const org = new AccessTokenVerifier(policy({ tenantClaim: 'org' }));
    expect((await org.verify(await mint({ org: 'globex' }))).tenant).toBe('globex');
    expect((await verifier.verify(await mint({ tenant: undefined }))).tenant).toBeUndefined();
    expect(await reasonOf(verifier.verify(await mint({ tenant: ['acme', 'globex'] })))).toBe('malformed');
  });

  it('requires extra claims named by the policy', async () => {
    const strict = new AccessTokenVerifier(policy({ requiredClaims: ['client_id'] }));
    expect(await reasonOf(strict.verify(await mint({ client_id: undefined })))).toBe('missing-claim');
  });

  describe('verified-token cache', () => {
    it('serves a repeated token from the cache in microseconds', async () => {
      const token = await mint();
      const first = await verifier.verify(token);
      expect(await verifier.verify(token)).toBe(first);
      const rounds = 20_000;
      const started = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++) await verifier.verify(token);
      const perCallUs = Number(process.hrtime.bigint() - started) / 1000 / rounds;
      // ~1-3 µs on a laptop; the bound only guards against a cache that is not hit at all.
      expect(perCallUs).toBeLessThan(25);
    });

    it('answers a token it verified before without a promise, scopes checked (authorizeCached)', async () => {
      const strict = new AccessTokenVerifier(policy({ requiredScopes: ['orders:read'] }));
      const token = await mint({ scope: 'orders:read' });
      expect(strict.authorizeCached(`Bearer ${token}`)).toBeUndefined(); // not verified yet
      const identity = await strict.authorize(`Bearer ${token}`);
      expect(strict.authorizeCached(`Bearer ${token}`)).toBe(identity);
      expect(() => strict.authorizeCached(`Bearer ${token}`, ['orders:write'])).toThrow(InsufficientScopeError);
      // Other spellings, and what is not a single header, take the full path.
      expect(strict.authorizeCached(`bearer ${token}`)).toBeUndefined();
      expect(strict.authorizeCached(`Bearer  ${token}`)).toBeUndefined();
      expect(strict.authorizeCached([`Bearer ${token}`])).toBeUndefined();
      expect(strict.authorizeCached(undefined)).toBeUndefined();
      const uncached = new AccessTokenVerifier(policy({ tokenCache: false }));
      await uncached.authorize(`Bearer ${token}`);
      expect(uncached.authorizeCached(`Bearer ${token}`)).toBeUndefined();
    });

    it('never serves a token at or after its exp', async () => {
      let clock = Date.now();
      const timed = new AccessTokenVerifier(policy({ clockToleranceSec: 0 }), { now: () => clock });
      const exp = Math.floor(clock / 1000) + 30;
      const token = await mint({ exp });
      const first = await timed.verify(token);
      clock = exp * 1000 - 1;
      expect(await timed.verify(token)).toBe(first);
      clock = exp * 1000;
      expect(await reasonOf(timed.verify(token))).toBe('expired');
    });

    it('stays bounded, evicting the least recently used', async () => {
      const small = new AccessTokenVerifier(policy({ tokenCache: { maxEntries: 3 } }));
      const tokens = await Promise.all([1, 2, 3, 4, 5].map((n) => mint({ sub: `u${n}` })));
      const identities = [];
      for (const t of tokens) identities.push(await small.verify(t));
      expect(await small.verify(tokens[4] as string)).toBe(identities[4]);
      const again = await small.verify(tokens[0] as string);
      expect(again).not.toBe(identities[0]);
      expect(again.sub).toBe('u1');
    });
  });

  describe('other asymmetric algorithms', () => {
    it('verifies ES256, PS256 and EdDSA keys, found through discovery', async () => {
      const keys = await Promise.all([signingKey('ES256'), signingKey('PS256'), signingKey('EdDSA', { crv: 'Ed25519' })]);
      const server = await startKeyServer(
        keys.map((k) => k.jwk),
        { discovery: true },
      );
      const v = new AccessTokenVerifier({ issuer: server.url, audience: AUD, jwks: { refreshIntervalMs: 0 } });
      const now = Math.floor(Date.now() / 1000);
      for (const key of keys) {
        const token = await sign(key, { iss: server.url, aud: AUD, sub: key.alg, exp: now + 60 });
        expect((await v.verify(token)).sub).toBe(key.alg);
      }
      // An RSA kid used with an EC algorithm is refused, not tried.
      const confused = forgeToken({ alg: 'ES256', kid: keys[1]?.kid }, { iss: server.url, aud: AUD, sub: 'x', exp: now + 60 }, 'c2ln');
      expect(await reasonOf(v.verify(confused))).toBe('alg-not-allowed');
      const rsOnly = new AccessTokenVerifier({ issuer: server.url, audience: AUD, algorithms: ['RS256'], jwks: { refreshIntervalMs: 0 } });
      const es256 = await sign(keys[0] as (typeof keys)[number], { iss: server.url, aud: AUD, sub: 'x', exp: now + 60 });
      expect(await reasonOf(rsOnly.verify(es256))).toBe('alg-not-allowed');
      await server.close();
    });
  });

  describe('key store', () => {
    it('picks up a rotated key without restart, once the cooldown allows', async () => {
      let clock = Date.now();
      const store = new JwksKeyStore({ jwksUri: issuer.jwksUri, now: () => clock });
      const v = new AccessTokenVerifier(policy(), { keyStore: store });
      await v.verify(await mint());
      expect(issuer.jwksFetches()).toBe(1);
      await issuer.rotate();
      clock += 30_001;
      expect(await reasonOf(v.verify(await mint({ sub: 'after-rotation' })))).toBe('accepted');
      expect(issuer.jwksFetches()).toBe(2);
    });

    it('limits JWKS fetches when random kids are sent', async () => {
      let clock = Date.now();
      const store = new JwksKeyStore({ jwksUri: issuer.jwksUri, cooldownMs: 30_000, now: () => clock });
      const v = new AccessTokenVerifier(policy(), { keyStore: store });
      await v.verify(await mint());
      const attack = async () => {
        const tokens = await Promise.all(Array.from({ length: 50 }, () => mint({}, { kid: randomUUID() })));
        return Promise.all(tokens.map((t) => reasonOf(v.verify(t))));
      };
      expect(new Set(await attack())).toEqual(new Set(['unknown-key']));
      expect(issuer.jwksFetches()).toBe(1);
      clock += 30_001;
      expect(new Set(await attack())).toEqual(new Set(['unknown-key']));
      expect(issuer.jwksFetches()).toBe(2);
      expect(store.stats).toMatchObject({ fetches: 2, failures: 0, keys: 1 });
    });

    it('keeps validating with cached keys while the IdP is down, and fails closed on unknown kids', async () => {
      let clock = Date.now();
      const store = new JwksKeyStore({ jwksUri: issuer.jwksUri, now: () => clock, timeoutMs: 500 });
      const v = new AccessTokenVerifier(policy(), { keyStore: store });
      await v.verify(await mint());
      const later = await mint({ sub: 'later' });
      const unknown = await mint({}, { kid: randomUUID() });
      await issuer.close();
      clock += 60_000;
      await store.refresh();
      expect(store.stats.failures).toBe(1);
      expect((await v.verify(later)).sub).toBe('later');
      clock += 60_000;
      expect(await reasonOf(v.verify(unknown))).toBe('unknown-key');
      expect(store.stats.keys).toBe(1);
    });

    it('refuses within the fetch timeout when the IdP hangs before any key was loaded: 503 keys unavailable, not 401', async () => {
      const server = await startKeyServer([]);
      server.hang(true);
      try {
        const v = new AccessTokenVerifier({ ...policy(), jwksUri: server.jwksUri, jwks: { timeoutMs: 300, refreshIntervalMs: 0 } });
        const started = Date.now();
        const outcome = await v.verify(await mint()).catch((e: unknown) => e);
        const took = Date.now() - started;
        expect(outcome).toBeInstanceOf(KeysUnavailableError);
        expect(took).toBeGreaterThanOrEqual(250);
        expect(took).toBeLessThan(1500);
        // A client told "invalid token" may drop a good token; this says "retry".
        const answer = authProblem(outcome);
        expect(answer?.status).toBe(503);
        expect(answer?.headers).toMatchObject({ 'retry-after': '1' });
      } finally {
        server.hang(false);
        await server.close();
      }
    });

    it('judges tokens again (401 for unknown kids) once a key set was loaded', async () => {
      let clock = Date.now();
      const down = await startKeyServer([]);
      down.hang(true);
      try {
        const store = new JwksKeyStore({ jwksUri: down.jwksUri, now: () => clock, timeoutMs: 200 });
        expect(await reasonOf(store.getKey('k', 'ES256'))).toBe('keys-unavailable');
      } finally {
        down.hang(false);
        await down.close();
      }
      const good = await signingKey('ES256');
      const up = await startKeyServer([good.jwk]);
      try {
        const store = new JwksKeyStore({ jwksUri: up.jwksUri, now: () => clock, timeoutMs: 200 });
        await store.refresh();
        clock += 60_000;
        expect(await reasonOf(store.getKey('no-such-kid', 'ES256'))).toBe('unknown-key');
      } finally {
        await up.close();
      }
    });

    it('ignores symmetric, encryption and private keys in the JWKS', async () => {
      const events: string[] = [];
      const good = await signingKey('ES256');
      const server = await startKeyServer([
        { kty: 'oct', k: 'c2VjcmV0', kid: 'oct' },
        { ...good.jwk, kid: 'enc', use: 'enc' },
        { ...good.jwk, kid: 'private', d: 'AAAA' },
        good.jwk,
      ]);
      const store = new JwksKeyStore({ jwksUri: server.jwksUri, onEvent: (e) => events.push(e.type === 'key-ignored' ? `${e.kid}: ${e.why}` : e.type) });
      await store.refresh();
      expect(store.stats.keys).toBe(1);
      expect(events).toEqual([expect.stringMatching(/^oct: kty oct/), expect.stringMatching(/^enc: use enc/), expect.stringMatching(/^private: private/), 'fetched']);
      await expect(store.getKey('oct', 'ES256')).rejects.toMatchObject({ reason: 'unknown-key' });
      await server.close();
    });
  });
});
