import { expectCleanLogs, startWebStack, type WebStack } from './support/web-stack';
import { SESSION_COOKIE, WebClient } from '@edge/testing';

describe('bff-web browser defences: CSRF, 401 not 302, open redirects', () => {
  let stack: WebStack;
  let browser: WebClient;
  const others: WebClient[] = [];

  beforeAll(async () => {
    stack = await startWebStack();
    browser = new WebClient(stack.bffs[0]!.origin);
    await browser.login('alice');
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), [browser, ...others].flatMap((c) => [...c.secrets]));
  });

  const orderCount = async () => (await browser.api('/web/api/home')).json<{ recentOrders: unknown[] }>().recentOrders.length;
  const checkout = { items: [{ productId: 'prod_001', quantity: 1 }] };

  function expectCsrfProblem(res: { status: number; headers: Headers; text: string }, reason: RegExp) {
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = JSON.parse(res.text) as { type: string; status: number; detail: string };
    expect(body).toMatchObject({ type: 'urn:edge:problem:csrf-rejected', status: 403 });
    expect(body.detail).toMatch(reason);
  }

  it('refuses API calls without X-CSRF: 1, reads and writes alike', async () => {
    expectCsrfProblem(await browser.request('/web/api/home'), /x-csrf/);
    expectCsrfProblem(await browser.request('/web/api/home', { headers: { 'x-csrf': '0' } }), /x-csrf/);
    expectCsrfProblem(
      await browser.request('/web/api/checkout', { method: 'POST', headers: { origin: browser.origin, 'content-type': 'application/json', 'idempotency-key': 'k-no-csrf' }, body: JSON.stringify(checkout) }),
      /x-csrf/,
    );
    expect((await browser.api('/web/api/home')).status).toBe(200);
  });

  it('refuses state-changing calls from another Origin, or without one', async () => {
    const before = await orderCount();
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    expectCsrfProblem(await browser.api('/web/api/checkout', { method: 'POST', body: checkout, headers: { ...headers, origin: 'http://evil.example' } }), /Origin is not allowed/);
    expectCsrfProblem(await browser.api('/web/api/checkout', { method: 'POST', body: checkout, headers: { ...headers, origin: 'null' } }), /Origin is not allowed/);
    expectCsrfProblem(await browser.api('/web/api/checkout', { method: 'POST', body: checkout, headers: { ...headers, origin: `${browser.origin}.evil.example` } }), /Origin is not allowed/);
    const noOrigin = await browser.request('/web/api/checkout', { method: 'POST', headers: { ...headers, 'x-csrf': '1', 'content-type': 'application/json' }, body: JSON.stringify(checkout) });
    expectCsrfProblem(noOrigin, /Origin header is missing/);
    expectCsrfProblem(await browser.api('/web/api/home', { headers: { 'sec-fetch-site': 'cross-site' } }), /cross-site/);
    expect(await orderCount()).toBe(before);
  });

  it('refuses a cross-site form POST (no custom header, foreign Origin): nothing is ordered, nobody is logged out', async () => {
    const before = await orderCount();
    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
    expectCsrfProblem(await browser.request('/web/api/checkout', { method: 'POST', headers: form, body: 'items=prod_001' }), /cross-site|x-csrf/);
    const logout = await browser.request('/web/logout', { method: 'POST', headers: form, body: '' });
    expectCsrfProblem(logout, /cross-site|Origin/);
    // Without Sec-Fetch-Site (older browsers): the Origin alone refuses it.
    expectCsrfProblem(await browser.request('/web/logout', { method: 'POST', headers: { origin: 'http://evil.example' } }), /Origin is not allowed/);
    expect(browser.cookie(SESSION_COOKIE)).toBeDefined();
    expect((await browser.api('/web/session')).json()).toMatchObject({ authenticated: true });
    expect(await orderCount()).toBe(before);
  });

  it('answers unauthenticated API calls with 401 problem details, never a redirect', async () => {
    const anonymous = new WebClient(browser.origin);
    others.push(anonymous);
    for (const path of ['/web/api/home', '/web/api/checkout-summary?item=prod_001:1', '/web/api/orders/ord_0001']) {
      const res = await anonymous.api(path);
      expect(res.status).toBe(401);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('www-authenticate')).toMatch(/^Session realm="web"/);
      expect(res.json()).toMatchObject({ type: 'urn:edge:problem:unauthorized', status: 401, loginUrl: '/web/login' });
    }
    const post = await anonymous.api('/web/api/checkout', { method: 'POST', body: checkout, headers: { 'idempotency-key': 'anon-1' } });
    expect(post.status).toBe(401);
    // A cookie that names no live session is cleared.
    anonymous.setCookie(SESSION_COOKIE, 'A'.repeat(43));
    const stale = await anonymous.api('/web/api/home');
    expect(stale.status).toBe(401);
    expect(stale.headers.getSetCookie().join()).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
  });

  it.each([
    '//evil.example',
    'https://evil.example',
    'https://evil.example/web/',
    '/\\evil.example',
    '\\\\evil.example',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%252F%252Fevil.example',
    'javascript:alert(1)',
    '/web/../evil',
    '/web/api/home',
  ])('sends the browser back to /web/ after sign-in when returnTo is %p', async (returnTo) => {
    const client = new WebClient(browser.origin);
    others.push(client);
    const { location } = await client.login('bob', returnTo);
    expect(location).toBe('/web/');
  });

  it('keeps a same-origin returnTo inside the SPA', async () => {
    const client = new WebClient(browser.origin);
    others.push(client);
    expect((await client.login('bob', '/web/orders/ord_0008?tab=items')).location).toBe('/web/orders/ord_0008?tab=items');
  });

  it('serves the SPA with a strict CSP; unknown API routes are 404 problems, not the SPA page', async () => {
    const page = await browser.request('/web/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const again = await browser.request('/web/', { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await browser.request('/web')).headers.get('etag')).toBe(page.headers.get('etag'));
    expect((await browser.request('/web/orders/ord_0001')).headers.get('content-type')).toContain('text/html');
    const missingApi = await browser.api('/web/api/nope');
    expect(missingApi.status).toBe(404);
    expect(missingApi.headers.get('content-type')).toContain('application/problem+json');
    expect((await browser.request('/web/nope.js')).status).toBe(404);
  });
});
