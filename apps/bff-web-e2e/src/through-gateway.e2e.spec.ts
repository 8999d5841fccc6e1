import path from 'node:path';
import type { Page } from 'playwright-core';
import { freePort, spawnApp, workspaceRoot, type SpawnedApp } from '@edge/testing';
import { launchChromium, type Chromium } from './support/browser';
import { expectCleanLogs, READY_TIMEOUT_MS, startWebStack, untilWhole, type WebStack } from './support/web-stack';
import { WebClient } from '@edge/testing';

/**
 * Users reach the SPA at the gateway (`/web/**` routed anonymously to bff-web): the whole
 * journey in Chromium through the real gateway with its default configuration.
 */
describe('the SPA through the gateway', () => {
  let stack: WebStack;
  let gateway: SpawnedApp;
  let gatewayOrigin: string;
  let chromium: Chromium;
  let page: Page;
  let warm: WebClient;

  beforeAll(async () => {
    const port = await freePort();
    gatewayOrigin = `http://localhost:${port}`;
    stack = await startWebStack({ extraOrigins: [gatewayOrigin] });
    gateway = await spawnApp('gateway', {
      port,
      readyTimeoutMs: READY_TIMEOUT_MS,
      args: ['--config', path.join(workspaceRoot, 'apps/gateway/config/gateway.yaml')],
      env: {
        LOG_LEVEL: 'warn',
        OIDC_ISSUER: stack.issuer,
        BFF_WEB_URL: stack.bffs[0]!.url,
        CATALOG_URL: stack.services.catalog.url,
        ORDERS_URL: stack.services.orders.url,
        CUSTOMERS_URL: stack.services.customers.url,
        RECOMMENDATIONS_URL: stack.services.recommendations.url,
        GATEWAY_CLIENT_SECRET: 'gateway-secret',
      },
    });
    warm = new WebClient(stack.bffs[0]!.origin);
    await warm.login('alice');
    await untilWhole(() => warm.api('/web/api/home'));
    chromium = await launchChromium();
    page = await chromium.context.newPage();
  });
  afterAll(async () => {
    await chromium?.close();
    await gateway?.stop();
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), warm?.secrets ?? []);
  });

  it('signs in at the gateway origin, checks out and signs out', async () => {
    await page.goto(`${gatewayOrigin}/web/`);
    await page.locator('#login').click();
    await page.waitForURL(`${stack.issuer}/interaction/**`);
    // The IdP sends the browser back to the gateway, not to bff-web's own port.
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    await page.locator('input[name="login"]').fill('bob');
    await page.locator('input[name="password"]').fill('password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${gatewayOrigin}/web/`);
    await page.locator('#orders li[data-order]').first().waitFor();
    expect(await page.locator('#profile').innerText()).toContain('Bob');

    const session = (await chromium.context.cookies(gatewayOrigin)).find((c) => c.name === '__Host-web-session');
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });

    await page.locator('#recommendations button[data-product]').first().click();
    await page.locator('#checkout').click();
    await page.locator('#summary').waitFor({ state: 'visible' });
    await page.locator('#place-order').click();
    await page.locator('#confirmation').waitFor({ state: 'visible' });
    expect(await page.locator('#confirmation-id').innerText()).toMatch(/^ord_/);

    await page.locator('#logout').click();
    await page.waitForURL(`${gatewayOrigin}/web/`);
    await page.locator('#signed-out').waitFor({ state: 'visible' });
    expect((await chromium.context.cookies(gatewayOrigin)).find((c) => c.name === '__Host-web-session')).toBeUndefined();
  });

  it('keeps the BFF rules at the gateway: 401 problem for anonymous API calls, 403 for a foreign Origin', async () => {
    const anonymous = await fetch(`${gatewayOrigin}/web/api/home`, { headers: { 'x-csrf': '1' }, redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    await anonymous.arrayBuffer();
    const foreign = await fetch(`${gatewayOrigin}/web/logout`, { method: 'POST', headers: { origin: 'http://evil.example' }, redirect: 'manual' });
    expect(foreign.status).toBe(403);
    await foreign.arrayBuffer();
  });
});
