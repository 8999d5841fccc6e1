import { startRedisServer, type RedisServer } from '@edge/testing';
import { bffWebTokenRequests, expectCleanLogs, startWebStack, untilWhole, type WebStack } from './support/web-stack';
import { SESSION_COOKIE, WebClient } from '@edge/testing';

/** Access tokens live this long at the test IdP: bursts can be fired right at expiry. */
const TTL_SECONDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until any access token issued up to now has expired (no calls meanwhile: nothing refreshes). */
const pastExpiry = () => sleep(TTL_SECONDS * 1000 + 700);

describe('token refresh on one bff-web instance', () => {
  let stack: WebStack;
  let browser: WebClient;

  beforeAll(async () => {
    stack = await startWebStack({ idpEnv: { ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });
    browser = new WebClient(stack.bffs[0]!.origin);
    await browser.login('alice');
    await untilWhole(() => browser.api('/web/api/home'));
  });
  afterAll(async () => {
    await stack?.stop();
    if (stack) expectCleanLogs(stack.bffs[0]!.output(), browser.secrets);
  });

  it('20 concurrent API calls at expiry: exactly one refresh at dev-idp, all 20 succeed', async () => {
    await pastExpiry();
    const before = await bffWebTokenRequests(stack.idp, 'refresh_token');
    const answers = await Promise.all(Array.from({ length: 20 }, () => browser.api('/web/api/home')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => a.json<{ profile: { name: string } }>().profile.name.includes('Alice'))).toBe(true);
    expect((await bffWebTokenRequests(stack.idp, 'refresh_token')) - before).toBe(1);
    // The session goes on with the refreshed tokens (no further refresh while they are fresh).
    expect((await browser.api('/web/api/orders/ord_0001')).status).toBe(200);
    expect((await bffWebTokenRequests(stack.idp, 'refresh_token')) - before).toBe(1);
  });

  it('keeps refreshing across several lifetimes, one refresh each', async () => {
    for (let i = 0; i < 2; i++) {
      await pastExpiry();
      const before = await bffWebTokenRequests(stack.idp, 'refresh_token');
      const answers = await Promise.all(Array.from({ length: 5 }, () => browser.api('/web/api/home')));
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
      expect((await bffWebTokenRequests(stack.idp, 'refresh_token')) - before).toBe(1);
    }
  });

  it('a refused refresh ends the session cleanly: 401 for every waiting call, the cookie cleared', async () => {
    // A fresh dev-idp knows none of the refresh tokens it issued before.
    await stack.restartIdp();
    await pastExpiry();
    const answers = await Promise.all(Array.from({ length: 5 }, () => browser.api('/web/api/home')));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(401));
    for (const a of answers) expect(a.json()).toMatchObject({ type: 'urn:edge:problem:unauthorized', detail: expect.stringContaining('ended') });
    expect(answers.some((a) => a.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`)))).toBe(true);
    expect(browser.cookie(SESSION_COOKIE)).toBeUndefined();
    expect((await bffWebTokenRequests(stack.idp, 'refresh_token'))).toBe(1);
  });
});

describe('token refresh across two bff-web instances sharing Redis', () => {
  let redis: RedisServer;
  let stack: WebStack;
  let browser: WebClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    stack = await startWebStack({ bffs: 2, bffEnv: { REDIS_URL: redis.url }, idpEnv: { ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });
    browser = new WebClient(stack.bffs[0]!.origin);
    await browser.login('alice');
    for (const bff of stack.bffs) await untilWhole(() => browser.api(`${bff.origin}/web/api/home`));
  });
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
    if (stack) for (const bff of stack.bffs) expectCleanLogs(bff.output(), browser.secrets);
  });

  it('the session signed in on one instance is served by the other', async () => {
    const [a, b] = stack.bffs;
    const onA = await browser.api(`${a!.origin}/web/session`);
    const onB = await browser.api(`${b!.origin}/web/session`);
    expect(onA.json()).toMatchObject({ authenticated: true, user: { sub: 'alice' } });
    expect(onB.json()).toEqual(onA.json());
  });

  it('10 + 10 concurrent API calls at expiry on two instances: exactly one refresh, all 20 succeed', async () => {
    await pastExpiry();
    const before = await bffWebTokenRequests(stack.idp, 'refresh_token');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => browser.api(`${stack.bffs[i % 2]!.origin}/web/api/home`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect((await bffWebTokenRequests(stack.idp, 'refresh_token')) - before).toBe(1);
  });
});
