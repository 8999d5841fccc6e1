import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import { startEchoUpstream, startRedisServer, type EchoUpstream, type RedisServer } from '@edge/testing';
import { expectCleanLogs, startWebStack, type WebStack } from './support/web-stack';
import { WebClient } from '@edge/testing';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** dev-idp's signing key, known to the test (DEV_IDP_JWKS_FILE): logout tokens can be minted with it. */
function idpKey(): { file: string; jwk: JWK } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bff-web-idp-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [jwk] }));
  return { file, jwk };
}

describe('back-channel logout across two bff-web instances sharing Redis', () => {
  let redis: RedisServer;
  let relay: EchoUpstream;
  let stack: WebStack;
  let key: { file: string; jwk: JWK };
  const browsers: WebClient[] = [];
  /** Logout tokens dev-idp sent (the relay records them on their way to instance A). */
  const delivered: string[] = [];

  beforeAll(async () => {
    key = idpKey();
    redis = await startRedisServer();
    relay = await startEchoUpstream();
    stack = await startWebStack({
      bffs: 2,
      bffEnv: { REDIS_URL: redis.url },
      idpEnv: { DEV_IDP_JWKS_FILE: key.file },
      backchannelLogoutUri: () => `${relay.url}/web/backchannel-logout`,
    });
    relay.handle(async (_req, res, recorded) => {
      const form = new URLSearchParams(recorded.body.toString('utf8'));
      delivered.push(form.get('logout_token') ?? '');
      const answer = await fetch(`${stack.bffs[0]!.url}/web/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: recorded.body.toString('utf8') });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(await answer.text());
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await relay?.close();
    await redis?.stop();
    if (key) rmSync(path.dirname(key.file), { recursive: true, force: true });
    const secrets = [...browsers.flatMap((b) => [...b.secrets]), ...delivered];
    if (stack) for (const bff of stack.bffs) expectCleanLogs(bff.output(), secrets);
  });

  async function signedIn(user: string): Promise<WebClient> {
    const browser = new WebClient(stack.bffs[0]!.origin);
    browsers.push(browser);
    await browser.login(user);
    return browser;
  }

  async function sessionOn(browser: WebClient, index: number): Promise<boolean> {
    const res = await browser.api(`${stack.bffs[index]!.origin}/web/session`);
    return res.json<{ authenticated: boolean }>().authenticated;
  }

  const postLogoutToken = (index: number, token: string) =>
    fetch(`${stack.bffs[index]!.url}/web/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ logout_token: token }) });

  /** Signs out at dev-idp itself (as another application of the same IdP session would). */
  async function signOutAtIdp(browser: WebClient): Promise<void> {
    const page = await browser.request(`${stack.issuer}/session/end?client_id=bff-web`);
    expect(page.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
    const fields = new URLSearchParams();
    for (const m of page.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
    expect(action).toBeDefined();
    const confirm = await browser.request(new URL(action!, stack.issuer).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
    expect(confirm.status).toBeLessThan(400);
  }

  it('ends the session on both instances when dev-idp sends a back-channel logout', async () => {
    const alice = await signedIn('alice');
    const carol = await signedIn('carol');
    expect([await sessionOn(alice, 0), await sessionOn(alice, 1)]).toEqual([true, true]);
    await signOutAtIdp(alice);
    for (let i = 0; i < 40 && delivered.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(delivered).toHaveLength(1);
    expect([await sessionOn(alice, 0), await sessionOn(alice, 1)]).toEqual([false, false]);
    expect((await alice.api(`${stack.bffs[1]!.origin}/web/api/home`)).status).toBe(401);
    // Only that IdP session: another user's session lives on.
    expect([await sessionOn(carol, 0), await sessionOn(carol, 1)]).toEqual([true, true]);
  });

  it('refuses the same logout token replayed, on either instance', async () => {
    expect(delivered).toHaveLength(1);
    for (const index of [0, 1]) {
      const res = await postLogoutToken(index, delivered[0]!);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses forged logout tokens, and accepts a well-formed one signed by the IdP', async () => {
    const bob = await signedIn('bob');
    const now = Math.floor(Date.now() / 1000);
    const claims = (extra: Record<string, unknown> = {}) => ({ iss: stack.issuer, aud: 'bff-web', iat: now, exp: now + 120, jti: randomUUID(), sub: 'bob', events: { [EVENT]: {} }, ...extra });
    const signWith = async (jwk: JWK, payload: Record<string, unknown>, typ = 'logout+jwt') =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ }).sign(await importJWK(jwk, 'RS256'));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: key.jwk.kid };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'logout+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;

    const forged = [
      await signWith(stranger, claims()), // same kid, another key
      unsigned,
      await signWith(key.jwk, claims({ aud: 'someone-else' })),
      await signWith(key.jwk, claims({ iss: 'http://evil.example' })),
      await signWith(key.jwk, claims({ events: undefined })),
      await signWith(key.jwk, claims({ nonce: 'n' })),
      await signWith(key.jwk, claims({ sub: undefined })),
      await signWith(key.jwk, claims({ iat: now - 3600, exp: now + 60 })),
      await signWith(key.jwk, claims(), 'JWT'),
      'not-a-jwt',
    ];
    for (const token of forged) {
      const res = await postLogoutToken(1, token);
      expect(res.status).toBe(400);
    }
    const empty = await fetch(`${stack.bffs[1]!.url}/web/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(empty.status).toBe(400);
    expect(await sessionOn(bob, 0)).toBe(true);

    const genuine = await signWith(key.jwk, claims());
    const accepted = await postLogoutToken(1, genuine);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('cache-control')).toBe('no-store');
    expect([await sessionOn(bob, 0), await sessionOn(bob, 1)]).toEqual([false, false]);
    expect((await postLogoutToken(0, genuine)).status).toBe(400);
    // Each forgery was refused for its own reason (bff-web logs the reason, never the token).
    const reasons = [...stack.bffs[1]!.output().matchAll(/"event":"backchannel-logout.refused","reason":"([a-z-]+)"/g)].map((m) => m[1]);
    expect([...new Set(reasons)].sort()).toEqual(['claims', 'events', 'malformed', 'nonce', 'replayed', 'signature', 'stale', 'subject', 'typ']);
  });
});
