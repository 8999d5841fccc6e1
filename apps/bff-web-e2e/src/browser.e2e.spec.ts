import { createDecipheriv, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import type { Page, Response } from 'playwright-core';
import { startRedisServer, workspaceRoot, type RedisServer } from '@edge/testing';
import { launchChromium, type Chromium } from './support/browser';
import { expectCleanLogs, setFaults, startWebStack, untilWhole, type WebStack } from './support/web-stack';
import { WebClient } from '@edge/testing';

const SESSION_COOKIE = '__Host-web-session';
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;
const screenshots = path.join(workspaceRoot, 'test-output', 'bff-web-e2e');

interface Seen {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The tokens bff-web holds for a session, read from Redis and decrypted with the key the test gave it. */
async function serverSideTokens(redisUrl: string, sessionKeyHex: string, sessionId: string) {
  const handle = createHash('sha256').update(sessionId).digest('base64url');
  const redis = new Redis(redisUrl);
  try {
    const sealed = await redis.get(`edge:bff-web:session:${handle}`);
    if (!sealed) throw new Error('no session record in Redis');
    const [, , iv, body] = sealed.split('.') as [string, string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(sessionKeyHex, 'hex'), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`session:${handle}`));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    const { tokens } = JSON.parse(plain) as { tokens: { accessToken: string; refreshToken: string } };
    return { sealed, ...tokens };
  } finally {
    redis.disconnect();
  }
}

/** A page on another site (127.0.0.1 is not the same site as localhost) that attacks bff-web. */
async function startEvilSite(target: string): Promise<{ url: string; server: Server }> {
  const html = `<!DOCTYPE html><html><body>
<form id="checkout" method="post" action="${target}/web/api/checkout"><input name="items" value="prod_001"></form>
<form id="logout" method="post" action="${target}/web/logout"></form>
<script>
window.readHome = () => fetch('${target}/web/api/home', { credentials: 'include', headers: { 'x-csrf': '1' } }).then((r) => 'answered ' + r.status, (e) => 'blocked: ' + e.name);
</script></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server };
}

describe('the SPA in real Chromium', () => {
  let redis: RedisServer;
  let stack: WebStack;
  let chromium: Chromium;
  let page: Page;
  let origin: string;
  const seen: Seen[] = [];
  const secrets = new Set<string>();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    redis = await startRedisServer();
    stack = await startWebStack({ bffEnv: { REDIS_URL: redis.url } });
    origin = stack.bffs[0]!.origin;
    // Warm the stack (JWKS fetches, connections) so the first screen is not partial on a busy machine.
    const warm = new WebClient(origin);
    await warm.login('bob');
    await untilWhole(() => warm.api('/web/api/home'));
    for (const secret of warm.secrets) secrets.add(secret);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    // Everything the page received: status, headers and bodies (redirects have none).
    page.on('response', (response: Response) => {
      void (async () => {
        const entry: Seen = { url: response.url(), status: response.status(), headers: await response.allHeaders(), body: '' };
        try {
          entry.body = (await response.body()).toString('utf8');
        } catch {
          /* redirects and aborted loads have no body */
        }
        seen.push(entry);
      })();
    });
  });
  afterAll(async () => {
    await chromium?.close();
    await stack?.stop();
    await redis?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), secrets);
  });

  const visibleText = (selector: string) => page.locator(selector).innerText();
  const orderCount = () => page.evaluate(async () => (await (await fetch('/web/api/home', { headers: { 'x-csrf': '1' } })).json()).recentOrders.length as number);

  it('signs in as alice through the IdP form and shows the home screen', async () => {
    await page.goto(`${origin}/web/`);
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    await page.locator('#login').click();
    await page.waitForURL(`${stack.issuer}/interaction/**`);
    await page.locator('input[name="login"]').fill('alice');
    await page.locator('input[name="password"]').fill('password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${origin}/web/`);
    await page.locator('#app').waitFor({ state: 'visible' });
    await page.locator('#orders li[data-order]').first().waitFor();
    expect(await visibleText('#profile')).toContain('Alice');
    expect(await visibleText('#user-name')).toContain('Alice');
    expect(await page.locator('#orders li[data-order]').count()).toBe(5);
    expect(await page.locator('#recommendations button[data-product]').count()).toBeGreaterThan(0);
    expect(await page.locator('#notice').isVisible()).toBe(false);
  });

  it('holds the session in a __Host- cookie Chromium accepted over http://localhost: Secure, HttpOnly, SameSite=Strict, host-only', async () => {
    const cookies = await chromium.context.cookies(origin);
    const session = cookies.find((c) => c.name === SESSION_COOKIE);
    expect(session).toMatchObject({ domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Strict', expires: -1 });
    expect(cookies.find((c) => c.name === '__Host-web-login')).toBeUndefined();
    secrets.add(session!.value);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  });

  it('checks out from the basket and shows the placed order', async () => {
    const before = await orderCount();
    await page.locator('#recommendations button[data-product]').first().click();
    await page.locator('#basket-items li').first().waitFor();
    await page.locator('#checkout').click();
    await page.locator('#summary').waitFor({ state: 'visible' });
    expect(await visibleText('#summary-total')).toMatch(/€/);
    expect(await visibleText('#summary-address')).toContain('Alice');
    await page.locator('#place-order').click();
    await page.locator('#confirmation').waitFor({ state: 'visible' });
    const orderId = await visibleText('#confirmation-id');
    expect(orderId).toMatch(/^ord_/);
    await page.locator(`#orders li[data-order="${orderId}"]`).waitFor();
    expect(await orderCount()).toBe(Math.min(5, before + 1));
    await page.screenshot({ path: path.join(screenshots, 'checkout.png'), fullPage: true });
  });

  it('shows a "some content unavailable" notice when recommendations are down', async () => {
    await setFaults(stack.services.recommendations, { errorRate: 1, status: 500 });
    try {
      await page.reload();
      await page.locator('#notice').waitFor({ state: 'visible' });
      expect(await visibleText('#notice')).toMatch(/Some content is unavailable right now \(recommendations\)/);
      expect(await visibleText('#recommendations')).toContain('unavailable');
      expect(await page.locator('#orders li[data-order]').count()).toBe(5);
      await page.screenshot({ path: path.join(screenshots, 'partial.png'), fullPage: true });
    } finally {
      await setFaults(stack.services.recommendations, null);
    }
  });

  it('refuses a cross-site attack page: its form posts are 403 and its reads are blocked', async () => {
    const evil = await startEvilSite(origin);
    const attacker = await chromium.context.newPage();
    try {
      const before = await orderCount();
      await attacker.goto(evil.url);
      expect(await attacker.evaluate(() => (window as unknown as { readHome(): Promise<string> }).readHome())).toMatch(/^blocked/);
      const [checkout] = await Promise.all([attacker.waitForNavigation(), attacker.evaluate(() => (document.getElementById('checkout') as HTMLFormElement).submit())]);
      expect(checkout?.status()).toBe(403);
      expect(await checkout?.text()).toContain('urn:edge:problem:csrf-rejected');
      await attacker.goto(evil.url);
      const [logout] = await Promise.all([attacker.waitForNavigation(), attacker.evaluate(() => (document.getElementById('logout') as HTMLFormElement).submit())]);
      expect(logout?.status()).toBe(403);
      expect(await orderCount()).toBe(before);
      expect(await page.evaluate(async () => (await fetch('/web/session', { headers: { 'x-csrf': '1' } })).json())).toMatchObject({ authenticated: true });
    } finally {
      await attacker.close();
      evil.server.closeAllConnections();
      await new Promise((r) => evil.server.close(r));
    }
  });

  it('never lets page JavaScript see a token: not in document.cookie, storage, or any response the page received', async () => {
    const sessionId = (await chromium.context.cookies(origin)).find((c) => c.name === SESSION_COOKIE)!.value;
    const tokens = await serverSideTokens(redis.url, stack.sessionKey, sessionId);
    secrets.add(tokens.accessToken).add(tokens.refreshToken);
    expect(tokens.accessToken).toMatch(JWT);
    // Encrypted at rest: the record in Redis holds neither token.
    expect(tokens.sealed).not.toContain(tokens.accessToken);
    expect(tokens.sealed).not.toContain(tokens.refreshToken);

    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    expect(visible.cookie).not.toContain(SESSION_COOKIE);
    for (const text of Object.values(visible)) {
      expect(text).not.toMatch(JWT);
      expect(text).not.toContain(tokens.accessToken);
      expect(text).not.toContain(tokens.refreshToken);
      expect(text).not.toContain(sessionId);
    }
    await new Promise((r) => setTimeout(r, 200)); // let the last response bodies land
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.some((s) => s.url.startsWith(`${origin}/web/api/home`) && s.body.includes('recentOrders'))).toBe(true);
    for (const response of seen) {
      const text = `${JSON.stringify(response.headers)}\n${response.body}`;
      expect({ url: response.url, jwt: JWT.test(text) }).toEqual({ url: response.url, jwt: false });
      expect(text.includes(tokens.accessToken) || text.includes(tokens.refreshToken)).toBe(false);
    }
  });

  it('signs out through the IdP and comes back signed out', async () => {
    await page.locator('#logout').click();
    await page.waitForURL(`${origin}/web/`);
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect(await page.locator('#app').isVisible()).toBe(false);
    expect((await chromium.context.cookies(origin)).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    expect(await page.evaluate(async () => (await fetch('/web/api/home', { headers: { 'x-csrf': '1' } })).status)).toBe(401);
    // The IdP session ended too: signing in again asks for the password.
    await page.locator('#login').click();
    await page.waitForURL(`${stack.issuer}/interaction/**`);
    expect(await page.locator('input[name="password"]').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'signed-out.png') });
  });
});
