import { authorize, createCookieJar, loginWithPkce, redeemCode, refreshToken, startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { decodeJwt } from 'jose';
import { mobileApp, startIdp, USER_SCOPE, webBff, type RunningIdp } from './support';

describe('dev-idp: discovery and the authorization code flow', () => {
  let idp: RunningIdp;
  let backchannel: EchoUpstream;

  beforeAll(async () => {
    backchannel = await startEchoUpstream();
    idp = await startIdp({ BFF_WEB_BACKCHANNEL_LOGOUT_URI: `${backchannel.url}/web/backchannel-logout` });
  });
  afterAll(async () => {
    await idp.app.stop();
    await backchannel.close();
  });

  it('publishes its configuration and RS256 keys at the issuer clients use (localhost)', async () => {
    const res = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const config = (await res.json()) as Record<string, unknown>;
    expect(config).toMatchObject({
      issuer: idp.issuer,
      jwks_uri: `${idp.issuer}/jwks`,
      token_endpoint: `${idp.issuer}/token`,
      authorization_endpoint: `${idp.issuer}/auth`,
      end_session_endpoint: `${idp.issuer}/session/end`,
      code_challenge_methods_supported: ['S256'],
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
    expect(config['grant_types_supported']).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:token-exchange']),
    );
    expect(config['introspection_endpoint']).toBe(`${idp.issuer}/token/introspection`);
    expect(config['revocation_endpoint']).toBe(`${idp.issuer}/token/revocation`);
    const jwks = (await (await fetch(`${idp.issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key['d']).toBeUndefined();
      expect(Buffer.from(key['n'] as string, 'base64url').length).toBe(256);
    }
  });

  it('signs alice in to the mobile app with code + PKCE and issues an edge-api JWT', async () => {
    const before = Math.floor(Date.now() / 1000);
    const tokens = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBe(300);
    const claims = await idp.verifyAccessToken(tokens.access_token);
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'edge-api', sub: 'alice', tenant: 'acme', client_id: 'mobile-app' });
    expect(claims.scope?.split(' ').sort()).toEqual(['catalog:read', 'orders:read', 'orders:write', 'profile:read', 'recommendations:read']);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const idToken = decodeJwt(tokens.id_token as string);
    expect(idToken).toMatchObject({ sub: 'alice', aud: 'mobile-app', tenant: 'acme', name: 'Alice Anderson', email: 'alice@acme.example', preferred_username: 'alice' });
  });

  it('grants only the scopes asked for, to the user of the right tenant', async () => {
    const tokens = await loginWithPkce({ issuer: idp.issuer, user: 'carol', password: 'password', ...mobileApp, scope: 'openid catalog:read' });
    const claims = await idp.verifyAccessToken(tokens.access_token);
    expect(claims).toMatchObject({ sub: 'carol', tenant: 'globex', scope: 'catalog:read' });
  });

  it('issues a token for another resource when the client names it', async () => {
    const tokens = await loginWithPkce({ issuer: idp.issuer, user: 'bob', password: 'password', ...mobileApp, scope: USER_SCOPE, resource: 'urn:orders-api' });
    const claims = await idp.verifyAccessToken(tokens.access_token, 'orders-api');
    expect(claims).toMatchObject({ sub: 'bob', tenant: 'acme', scope: 'orders:read orders:write' });
  });

  it('accepts the loopback redirect of the native client on any port (RFC 8252 §7.3)', async () => {
    const result = await authorize({ issuer: idp.issuer, user: 'alice', password: 'password', clientId: 'mobile-app', redirectUri: 'http://127.0.0.1:51789/callback', scope: 'openid' });
    expect(new URL(result.callbackUrl).port).toBe('51789');
    await expect(authorize({ issuer: idp.issuer, user: 'alice', password: 'password', clientId: 'mobile-app', redirectUri: 'http://127.0.0.1:51789/elsewhere', scope: 'openid' })).rejects.toThrow(
      /redirect_uri/,
    );
  });

  it('rejects an authorization request without PKCE', async () => {
    const params = new URLSearchParams({ response_type: 'code', client_id: 'mobile-app', redirect_uri: mobileApp.redirectUri, scope: 'openid', state: 'abc' });
    const res = await fetch(`${idp.issuer}/auth?${params}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const callback = new URL(res.headers.get('location') as string);
    expect(`${callback.origin}${callback.pathname}`).toBe(mobileApp.redirectUri);
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('rejects a code redeemed with the wrong PKCE verifier', async () => {
    const result = await authorize({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: 'openid' });
    await expect(redeemCode({ issuer: idp.issuer, clientId: 'mobile-app' }, { ...result, codeVerifier: 'x'.repeat(43) })).rejects.toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('shows the login form again, without details, for a wrong password', async () => {
    await expect(authorize({ issuer: idp.issuer, user: 'alice', password: 'wrong', ...mobileApp, scope: 'openid' })).rejects.toMatchObject({ name: 'DevIdpError', error: 'access_denied' });
    // The same by hand: the page is the form again, with an error and no stack.
    const params = new URLSearchParams({ response_type: 'code', client_id: 'mobile-app', redirect_uri: mobileApp.redirectUri, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const start = await fetch(`${idp.issuer}/auth?${params}`, { redirect: 'manual' });
    const interaction = new URL(start.headers.get('location') as string, idp.issuer);
    const cookie = start.headers.getSetCookie().map((c) => c.split(';', 1)[0]).join('; ');
    const page = await fetch(interaction, { headers: { cookie } });
    const html = await page.text();
    expect(html).toMatch(/<input[^>]*name="login"/);
    expect(html).toMatch(/<input[^>]*name="password"[^>]*type="password"|<input[^>]*type="password"[^>]*name="password"/);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
    const res = await fetch(new URL(action, idp.issuer), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'login=alice&password=nope',
      redirect: 'manual',
    });
    expect([200, 401]).toContain(res.status);
    const again = await res.text();
    expect(again).toMatch(/name="login"/);
    expect(again).toMatch(/Wrong username or password/);
    expect(again).not.toMatch(/at .*\.js:\d+/);
  });

  it('refreshes into a new edge-api token and rotates the public client refresh token', async () => {
    const first = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
    const refreshed = await refreshToken({ issuer: idp.issuer, clientId: 'mobile-app', refreshToken: first.refresh_token as string });
    const claims = await idp.verifyAccessToken(refreshed.access_token);
    expect(claims).toMatchObject({ aud: 'edge-api', sub: 'alice', tenant: 'acme', client_id: 'mobile-app' });
    expect(claims.scope?.split(' ')).toContain('orders:write');
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    await expect(refreshToken({ issuer: idp.issuer, clientId: 'mobile-app', refreshToken: first.refresh_token as string })).rejects.toMatchObject({ status: 400, error: 'invalid_grant' });
  });

  it('introspects and revokes refresh tokens', async () => {
    const tokens = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${idp.issuer}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    const introspected = await post('/token/introspection', { token: tokens.refresh_token as string, client_id: 'mobile-app' });
    expect(await introspected.json()).toMatchObject({ active: true, sub: 'alice', client_id: 'mobile-app' });
    // Another client cannot revoke it (RFC 7009 still answers 200)...
    const foreign = await fetch(`${idp.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('bff-web:bff-web-secret').toString('base64')}` },
      body: new URLSearchParams({ token: tokens.refresh_token as string }),
    });
    expect(foreign.status).toBe(200);
    expect(await (await post('/token/introspection', { token: tokens.refresh_token as string, client_id: 'mobile-app' })).json()).toMatchObject({ active: true });
    // ...its own client can.
    expect((await post('/token/revocation', { token: tokens.refresh_token as string, client_id: 'mobile-app' })).status).toBe(200);
    expect(await (await post('/token/introspection', { token: tokens.refresh_token as string, client_id: 'mobile-app' })).json()).toEqual({ active: false });
    await expect(refreshToken({ issuer: idp.issuer, clientId: 'mobile-app', refreshToken: tokens.refresh_token as string })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('signs in through the confidential web BFF client (basic or post auth) with sid in the ID token', async () => {
    const result = await authorize({ issuer: idp.issuer, user: 'bob', password: 'password', ...webBff, scope: 'openid offline_access orders:read' });
    // client_secret_post, by hand.
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: result.code,
        redirect_uri: result.redirectUri,
        code_verifier: result.codeVerifier,
        client_id: 'bff-web',
        client_secret: 'bff-web-secret',
      }),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { access_token: string; id_token: string; refresh_token?: string };
    expect(await idp.verifyAccessToken(tokens.access_token)).toMatchObject({ sub: 'bob', client_id: 'bff-web', scope: 'orders:read' });
    expect(decodeJwt(tokens.id_token)).toMatchObject({ sub: 'bob', tenant: 'acme', sid: expect.any(String) });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    await expect(loginWithPkce({ issuer: idp.issuer, user: 'bob', password: 'password', ...webBff, clientSecret: 'wrong-secret', scope: 'openid' })).rejects.toMatchObject({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('keeps the session for a second sign-in, and logs out with a back-channel logout token', async () => {
    const jar = createCookieJar();
    const first = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...webBff, scope: 'openid', jar });
    // No password this time: the session cookie is enough.
    const second = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'not-asked', ...webBff, scope: 'openid', jar });
    const sid = decodeJwt(second.id_token as string)['sid'];
    expect(decodeJwt(first.id_token as string)['sid']).toBe(sid);

    const cookieFor = (url: URL) => [...jar.cookies.values()].filter((c) => url.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
    const endSession = new URL(`${idp.issuer}/session/end`);
    endSession.search = new URLSearchParams({ id_token_hint: second.id_token as string, post_logout_redirect_uri: 'http://localhost:3001/web/', state: 'bye' }).toString();
    const page = await fetch(endSession, { headers: { cookie: cookieFor(endSession) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string, idp.issuer);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const confirm = await fetch(action, {
      method: 'POST',
      headers: { cookie: cookieFor(action), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
      redirect: 'manual',
    });
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get('location')).toBe('http://localhost:3001/web/?state=bye');
    const delivered = backchannel.requests.find((r) => r.url === '/web/backchannel-logout');
    expect(delivered).toBeDefined();
    const logoutToken = new URLSearchParams(delivered?.body.toString('utf8')).get('logout_token') as string;
    expect(decodeJwt(logoutToken)).toMatchObject({ iss: idp.issuer, aud: 'bff-web', sub: 'alice', sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
  });
});
