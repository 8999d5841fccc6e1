import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyObject } from 'jose';
import { MemoryStateStore } from '@edge/state';
import { BACKCHANNEL_LOGOUT_EVENT, LogoutTokenError, LogoutTokenVerifier, type LogoutTokenProblem } from './logout-token.verifier';

const ISSUER = 'http://localhost:4000';
const CLIENT = 'bff-web';

describe('LogoutTokenVerifier', () => {
  let key: KeyObject;
  let otherKey: KeyObject;
  let verifier: LogoutTokenVerifier;
  let state: MemoryStateStore;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    key = pair.privateKey as KeyObject;
    otherKey = (await generateKeyPair('RS256')).privateKey as KeyObject;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    state = new MemoryStateStore();
    verifier = new LogoutTokenVerifier({
      metadata: async () => ({ issuer: ISSUER, jwksUri: `${ISSUER}/jwks`, idTokenAlgorithms: ['RS256', 'HS256', 'none'] }),
      clientId: CLIENT,
      state,
      keys: createLocalJWKSet({ keys: [jwk] }),
    });
  });
  afterAll(() => state.close());

  function claims(overrides: Record<string, unknown> = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    const base: Record<string, unknown> = {
      iss: ISSUER,
      aud: CLIENT,
      iat: now,
      exp: now + 120,
      jti: randomUUID(),
      sub: 'alice',
      sid: 'idp-session-1',
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    };
    for (const [k, v] of Object.entries(overrides)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base as JWTPayload;
  }

  const sign = (payload: JWTPayload, options: { typ?: string; signer?: KeyObject } = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: options.typ ?? 'logout+jwt' }).sign(options.signer ?? key);

  async function refusal(token: string | undefined): Promise<LogoutTokenProblem> {
    try {
      await verifier.verify(token);
    } catch (error) {
      if (error instanceof LogoutTokenError) return error.problem;
      throw error;
    }
    throw new Error('accepted');
  }

  it('accepts a valid logout token and names its sid and sub', async () => {
    const payload = claims();
    await expect(verifier.verify(await sign(payload))).resolves.toEqual({ sub: 'alice', sid: 'idp-session-1', jti: payload.jti });
    await expect(verifier.verify(await sign(claims({ sub: undefined })))).resolves.toMatchObject({ sid: 'idp-session-1' });
  });

  it('refuses a replayed token (same jti)', async () => {
    const token = await sign(claims());
    await verifier.verify(token);
    expect(await refusal(token)).toBe('replayed');
  });

  it('refuses forged and foreign tokens', async () => {
    expect(await refusal(await sign(claims(), { signer: otherKey }))).toBe('signature');
    expect(await refusal(await sign(claims({ iss: 'http://evil.example' })))).toBe('claims');
    expect(await refusal(await sign(claims({ aud: 'someone-else' })))).toBe('claims');
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', typ: 'logout+jwt' }).sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await refusal(hs)).toBe('signature');
    const [h, p] = (await sign(claims())).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'logout+jwt' })).toString('base64url')}.${p}.`;
    expect(['signature', 'malformed']).toContain(await refusal(none));
    expect(await refusal(`${h}.${p}.AAAA`)).toBe('signature');
    expect(await refusal('not-a-jwt')).toBe('malformed');
    expect(await refusal(undefined)).toBe('malformed');
  });

  it('refuses tokens that are not logout tokens', async () => {
    expect(await refusal(await sign(claims({ events: undefined })))).toBe('events');
    expect(await refusal(await sign(claims({ events: { 'http://other/event': {} } })))).toBe('events');
    expect(await refusal(await sign(claims({ events: { [BACKCHANNEL_LOGOUT_EVENT]: 'yes' } })))).toBe('events');
    expect(await refusal(await sign(claims({ nonce: 'n-123' })))).toBe('nonce');
    expect(await refusal(await sign(claims({ sub: undefined, sid: undefined })))).toBe('subject');
    expect(await refusal(await sign(claims(), { typ: 'JWT' }))).toBe('typ');
    expect(await refusal(await sign(claims({ jti: undefined })))).toBe('claims');
    expect(await refusal(await sign(claims({ iat: undefined })))).toBe('claims');
  });

  it('refuses expired, old and future-dated tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await refusal(await sign(claims({ iat: now - 600, exp: now - 300 })))).toBe('expired');
    expect(await refusal(await sign(claims({ iat: now - 600, exp: now + 300 })))).toBe('stale');
    expect(['stale', 'claims']).toContain(await refusal(await sign(claims({ iat: now + 600, exp: now + 900 }))));
  });
});
