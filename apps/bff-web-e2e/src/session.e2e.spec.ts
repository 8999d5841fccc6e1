import { randomBytes } from 'node:crypto';
import { expectCleanLogs, startWebStack, type WebStack } from './support/web-stack';
import { LOGIN_COOKIE, SESSION_COOKIE, WebClient } from '@edge/testing';

/** Attributes of a Set-Cookie header, lower-cased names, in order. */
function attributes(header: string): { name: string; value: string; attrs: string[] } {
  const [pair = '', ...attrs] = header.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attrs: attrs.map((a) => a.toLowerCase()) };
}

describe('bff-web sessions: login, cookie, fixation, session info, logout', () => {
  let stack: WebStack;
  const clients: WebClient[] = [];
  const client = () => {
    const c = new WebClient(stack.bffs[0]!.origin);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    stack = await startWebStack();
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), clients.flatMap((c) => [...c.secrets]));
  });

  it('sets the session cookie with __Host-, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain; the login-flow cookie is Lax and short-lived', async () => {
    const browser = client();
    const { location, callback } = await browser.login('alice');
    expect(callback.status).toBe(302);
    expect(location).toBe('/web/');
    expect(callback.headers.get('cache-control')).toBe('no-store');

    const sessionCookies = browser.setCookies.map(attributes).filter((c) => c.name === SESSION_COOKIE && c.value !== '');
    expect(sessionCookies).toHaveLength(1);
    const session = sessionCookies[0]!;
    expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.attrs.sort()).toEqual(['httponly', 'path=/', 'samesite=strict', 'secure']);

    const loginCookies = browser.setCookies.map(attributes).filter((c) => c.name === LOGIN_COOKIE);
    expect(loginCookies).toHaveLength(2); // set at /web/login, cleared at /web/callback
    expect(loginCookies[0]!.attrs.sort()).toEqual(['httponly', 'max-age=600', 'path=/', 'samesite=lax', 'secure']);
    expect(loginCookies[1]!.value).toBe('');
    expect(loginCookies[1]!.attrs).toContain('max-age=0');
    for (const c of browser.setCookies) expect(c.toLowerCase()).not.toContain('domain=');
  });

  it('answers GET /web/session with the user and the session ends — never a token', async () => {
    const browser = client();
    expect((await browser.api('/web/session')).json()).toEqual({ authenticated: false, loginUrl: '/web/login' });
    await browser.login('bob');
    const res = await browser.api('/web/session');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.json<{ authenticated: boolean; user: Record<string, string>; expiresAt: string; idleExpiresAt: string }>();
    expect(body).toMatchObject({ authenticated: true, user: { sub: 'bob', tenant: 'acme', name: expect.any(String) }, logoutUrl: '/web/logout' });
    const absolute = Date.parse(body.expiresAt) - Date.now();
    expect(absolute).toBeGreaterThan(7.9 * 3_600_000);
    expect(absolute).toBeLessThanOrEqual(8 * 3_600_000);
    expect(Date.parse(body.idleExpiresAt)).toBeLessThanOrEqual(Date.parse(body.expiresAt));
    expect(res.text).not.toMatch(/eyJ|token/i);
    // The same anti-forgery header rule as the API.
    expect((await browser.request('/web/session')).status).toBe(403);
  });

  it('never promotes a cookie the browser brought before signing in (session fixation)', async () => {
    const attacker = client();
    await attacker.login('bob');
    const plantedLive = attacker.cookie(SESSION_COOKIE)!;
    const victim = client();
    victim.setCookie(SESSION_COOKIE, plantedLive);
    await victim.login('alice');
    const fresh = victim.cookie(SESSION_COOKIE)!;
    expect(fresh).not.toBe(plantedLive);
    expect((await victim.api('/web/session')).json()).toMatchObject({ user: { sub: 'alice' } });
    // The planted id is dead: it was ended at sign-in, and never became alice's session.
    expect((await attacker.api('/web/api/home')).status).toBe(401);

    const madeUp = client();
    const invented = randomBytes(32).toString('base64url');
    madeUp.setCookie(SESSION_COOKIE, invented);
    await madeUp.login('carol');
    expect(madeUp.cookie(SESSION_COOKIE)).not.toBe(invented);
    expect((await madeUp.api('/web/session')).json()).toMatchObject({ user: { sub: 'carol', tenant: 'globex' } });
  });

  it('rotates the session id at every sign-in', async () => {
    const browser = client();
    await browser.login('alice');
    const first = browser.cookie(SESSION_COOKIE)!;
    await browser.login('alice'); // dev-idp's own session signs in again without the form
    const second = browser.cookie(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    const stale = new WebClient(browser.origin);
    stale.setCookie(SESSION_COOKIE, first);
    expect((await stale.api('/web/api/home')).status).toBe(401);
    expect((await browser.api('/web/api/home')).status).toBe(200);
  });

  it('refuses a callback without the login-flow cookie, or with a state of another flow', async () => {
    const browser = client();
    const noFlow = await browser.request('/web/callback?code=abc&state=def');
    expect(noFlow.status).toBe(400);
    expect(noFlow.headers.get('content-type')).toContain('application/problem+json');
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();

    // Start a flow, then come back with another state (a forged or cross-browser callback).
    const start = await browser.request('/web/login');
    expect(start.status).toBe(302);
    const forged = await browser.request('/web/callback?code=abc&state=not-the-state');
    expect(forged.status).toBe(400);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
  });

  it('logs out: ends the session, clears the cookie, and passes through the IdP end-session endpoint', async () => {
    const browser = client();
    await browser.login('alice');
    const id = browser.cookie(SESSION_COOKIE)!;
    const res = await browser.request('/web/logout', { method: 'POST', headers: { origin: browser.origin } });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${stack.issuer}/session/end`);
    expect(location.searchParams.get('client_id')).toBe('bff-web');
    expect(location.searchParams.get('post_logout_redirect_uri')).toBe(`${browser.origin}/web/`);
    expect(location.searchParams.has('id_token_hint')).toBe(false);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    const replay = new WebClient(browser.origin);
    replay.setCookie(SESSION_COOKIE, id);
    expect((await replay.api('/web/api/home')).status).toBe(401);
    // Logging out without a session just goes home.
    const again = await browser.request('/web/logout', { method: 'POST', headers: { origin: browser.origin } });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/web/');
  });
});

describe('bff-web session lifetimes', () => {
  let stack: WebStack;
  const browsers: WebClient[] = [];
  beforeAll(async () => {
    stack = await startWebStack({ bffEnv: { SESSION_IDLE_TIMEOUT: '1500ms', SESSION_ABSOLUTE_TIMEOUT: '4s' } });
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), browsers.flatMap((b) => [...b.secrets]));
  });

  it('ends a session left idle, and an active one at its absolute lifetime', async () => {
    const idle = new WebClient(stack.bffs[0]!.origin);
    const active = new WebClient(stack.bffs[0]!.origin);
    browsers.push(idle, active);
    await idle.login('alice');
    await active.login('bob');
    const signedInAt = Date.now();
    expect((await idle.api('/web/session')).json()).toMatchObject({ authenticated: true });
    while (Date.now() - signedInAt < 2_500) {
      expect((await active.api('/web/session')).json()).toMatchObject({ authenticated: true });
      await new Promise((r) => setTimeout(r, 300));
    }
    expect((await idle.api('/web/session')).json()).toMatchObject({ authenticated: false });
    expect((await idle.api('/web/api/home')).status).toBe(401);
    while (Date.now() - signedInAt < 4_300) {
      await active.api('/web/session');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect((await active.api('/web/session')).json()).toMatchObject({ authenticated: false });
  });
});
