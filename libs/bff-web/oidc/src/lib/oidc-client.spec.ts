import { buildApps, cookieHeader, createCookieJar, freePort, spawnApp, storeCookies, type SpawnedApp } from '@edge/testing';
import { isGrantRejected, newAuthorizationSecrets, OidcClient } from './oidc-client';

/** Plays the browser between the authorization URL and the redirect back (dev-idp's login form). */
async function browse(start: URL, user: string, redirectUri: string, reach: (url: URL) => URL = (url) => url): Promise<URLSearchParams> {
  const jar = createCookieJar();
  let url = start;
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 12; step++) {
    const headers: Record<string, string> = {};
    const cookies = cookieHeader(jar, url);
    if (cookies) headers['cookie'] = cookies;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(reach(url), { method, headers, body, redirect: 'manual' });
    storeCookies(jar, res.headers.getSetCookie(), url);
    method = 'GET';
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      await res.arrayBuffer();
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUri)) return next.searchParams;
      url = next;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page ${res.status}: ${html.slice(0, 200)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
    method = 'POST';
    body = new URLSearchParams({ login: user, password: 'password' }).toString();
  }
  throw new Error('no redirect back');
}

describe('OidcClient against dev-idp', () => {
  let idp: SpawnedApp;
  let oidc: OidcClient;
  const redirectUri = 'http://localhost:3001/web/callback';

  beforeAll(async () => {
    buildApps(['dev-idp']);
    idp = await spawnApp('dev-idp', { env: { LOG_LEVEL: 'warn' } });
    oidc = new OidcClient({
      issuer: `http://localhost:${idp.port}`,
      clientId: 'bff-web',
      clientSecret: 'bff-web-secret',
      scopes: ['profile', 'email', 'orders:read'],
      allowHttp: true,
    });
  }, 60_000);
  afterAll(() => idp?.stop());

  it('builds an authorization request with PKCE S256, state and nonce', async () => {
    const secrets = newAuthorizationSecrets();
    const url = await oidc.authorizationUrl({ ...secrets, redirectUri });
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('bff-web');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('code_challenge')).not.toBe(secrets.codeVerifier);
    expect(p.get('state')).toBe(secrets.state);
    expect(p.get('nonce')).toBe(secrets.nonce);
    expect(p.get('scope')).toBe('openid profile email orders:read');
  });

  it('signs in (validated ID token with sid), refreshes, revokes; a revoked refresh token is a rejected grant', async () => {
    const secrets = newAuthorizationSecrets();
    const checks = { ...secrets, redirectUri };
    const query = await browse(await oidc.authorizationUrl(checks), 'alice', redirectUri);
    const signIn = await oidc.signIn(query, checks);
    expect(signIn.user).toMatchObject({ sub: 'alice', tenant: 'acme' });
    expect(signIn.user.sid).toEqual(expect.any(String));
    expect(signIn.tokens.refreshToken).toEqual(expect.any(String));
    expect(signIn.tokens.accessTokenExpiresAt).toBeGreaterThan(Date.now());
    const refreshed = await oidc.refresh(signIn.tokens.refreshToken!);
    expect(refreshed.accessToken).not.toBe(signIn.tokens.accessToken);
    const refreshToken = refreshed.refreshToken ?? signIn.tokens.refreshToken!;
    await oidc.revoke(refreshToken);
    const failure = await oidc.refresh(refreshToken).catch((e: unknown) => e);
    expect(isGrantRejected(failure)).toBe(true);
    expect(isGrantRejected(new Error('ECONNREFUSED'))).toBe(false);
  });

  it('refuses a callback whose state or nonce does not match, and a code redeemed with another verifier', async () => {
    const checks = { ...newAuthorizationSecrets(), redirectUri };
    const query = await browse(await oidc.authorizationUrl(checks), 'bob', redirectUri);
    await expect(oidc.signIn(query, { ...checks, state: 'other-state' })).rejects.toThrow();
    await expect(oidc.signIn(query, { ...checks, codeVerifier: newAuthorizationSecrets().codeVerifier })).rejects.toThrow();

    const checks2 = { ...newAuthorizationSecrets(), redirectUri };
    const query2 = await browse(await oidc.authorizationUrl(checks2), 'bob', redirectUri);
    await expect(oidc.signIn(query2, { ...checks2, nonce: 'other-nonce' })).rejects.toThrow();
  });

  it('names the client (not the ID token) in the end-session URL', async () => {
    const url = await oidc.endSessionUrl('http://localhost:3001/web/');
    expect(url?.searchParams.get('client_id')).toBe('bff-web');
    expect(url?.searchParams.get('post_logout_redirect_uri')).toBe('http://localhost:3001/web/');
    expect(url?.searchParams.has('id_token_hint')).toBe(false);
  });
});

describe('OidcClient with a back-channel address', () => {
  // The IdP is published as 127.0.0.2 (what browsers use, and the issuer) but listens on
  // 127.0.0.1 only, as dev-idp is published on localhost:4000 and reached as dev-idp:4000 in compose.
  let idp: SpawnedApp;
  let published: string;
  const redirectUri = 'http://localhost:3001/web/callback';
  const client = (backchannelUrl?: string) =>
    new OidcClient({ issuer: published, clientId: 'bff-web', clientSecret: 'bff-web-secret', scopes: ['profile'], allowHttp: true, timeoutMs: 1_000, ...(backchannelUrl ? { backchannelUrl } : {}) });

  beforeAll(async () => {
    buildApps(['dev-idp']);
    const port = await freePort();
    published = `http://127.0.0.2:${port}`;
    idp = await spawnApp('dev-idp', { port, env: { LOG_LEVEL: 'warn', HOST: '127.0.0.1', OIDC_ISSUER: published } });
  }, 60_000);
  afterAll(() => idp?.stop());

  it('cannot reach the provider at its published address without one', async () => {
    await expect(client().authorizationUrl({ ...newAuthorizationSecrets(), redirectUri })).rejects.toThrow();
  });

  it('signs in through it while the browser and the issuer keep the published address', async () => {
    const oidc = client(idp.url);
    const checks = { ...newAuthorizationSecrets(), redirectUri };
    const start = await oidc.authorizationUrl(checks);
    expect(start.origin).toBe(published);
    // The browser reaches the published address (a port mapping in compose).
    const query = await browse(start, 'alice', redirectUri, (url) => (url.origin === published ? new URL(url.href.replace(published, idp.url)) : url));
    const signIn = await oidc.signIn(query, checks);
    expect(signIn.user.sub).toBe('alice');
    const metadata = await oidc.serverMetadata();
    expect(metadata.issuer).toBe(published);
    expect(metadata.jwksUri.startsWith(`${idp.url}/`)).toBe(true);
    expect(new URL((await oidc.endSessionUrl('http://localhost:3001/web/')) as URL).origin).toBe(published);
  });
});
