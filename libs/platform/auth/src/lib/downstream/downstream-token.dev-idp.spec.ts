import { request } from 'undici';
import { buildApps, freePort, loginWithPkce, spawnApp, type SpawnedApp } from '@edge/testing';
import { isProblemException } from '@edge/problem-details';
import { DownstreamTokenProvider } from './downstream-token.provider';

/**
 * The provider against the real dev-idp and a real domain service: edge-api tokens of two
 * users become orders-api tokens that demo-orders accepts, each for its own user; N
 * concurrent requests cost dev-idp one exchange (its own metric counts them).
 */
describe('DownstreamTokenProvider against dev-idp', () => {
  let idp: SpawnedApp;
  let orders: SpawnedApp;
  let issuer: string;

  beforeAll(async () => {
    buildApps(['dev-idp', 'demo-orders']);
    const port = await freePort();
    issuer = `http://localhost:${port}`;
    idp = await spawnApp('dev-idp', { port, env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } });
    orders = await spawnApp('demo-orders', { env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } });
  }, 60_000);
  afterAll(async () => {
    await orders?.stop();
    await idp?.stop();
  });

  const login = (user: string) =>
    loginWithPkce({ issuer, clientId: 'mobile-app', redirectUri: 'http://127.0.0.1/callback', user, password: 'password', scope: 'openid orders:read orders:write catalog:read' });

  async function exchangeCount(): Promise<number> {
    const res = await request(`${idp.url}/metrics`);
    const text = await res.body.text();
    const line = text.split('\n').find((l) => l.startsWith('dev_idp_token_requests_total{') && l.includes('grant_type="urn:ietf:params:oauth:grant-type:token-exchange"') && l.includes('client_id="bff-mobile"'));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  }

  async function ordersWith(token: string): Promise<{ status: number; userIds: string[] }> {
    const res = await request(`${orders.url}/orders?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.body.json()) as { items?: { userId: string }[] };
    return { status: res.statusCode, userIds: [...new Set((body.items ?? []).map((o) => o.userId))] };
  }

  it('exchanges once for N concurrent requests, and demo-orders accepts each user its own token', async () => {
    const provider = new DownstreamTokenProvider({
      client: { issuer, clientId: 'bff-mobile', clientSecret: 'bff-mobile-secret' },
      dependencies: { orders: { mode: 'exchange', resource: 'urn:orders-api', scopes: ['orders:read'] } },
    });
    const [alice, bob] = await Promise.all([login('alice'), login('bob')]);
    const before = await exchangeCount();

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => provider.tokenFor('orders', i % 2 === 0 ? alice.access_token : bob.access_token)));
    expect(await exchangeCount()).toBe(before + 2);
    const aliceToken = results[0] as string;
    const bobToken = results[1] as string;
    expect(new Set(results.filter((_, i) => i % 2 === 0))).toEqual(new Set([aliceToken]));
    expect(new Set(results.filter((_, i) => i % 2 === 1))).toEqual(new Set([bobToken]));

    await expect(ordersWith(alice.access_token)).resolves.toMatchObject({ status: 401 });
    await expect(ordersWith(aliceToken)).resolves.toEqual({ status: 200, userIds: ['alice'] });
    await expect(ordersWith(bobToken)).resolves.toEqual({ status: 200, userIds: ['bob'] });

    // Cached: more requests, no more exchanges.
    await Promise.all(Array.from({ length: 10 }, () => provider.tokenFor('orders', alice.access_token)));
    expect(await exchangeCount()).toBe(before + 2);
  });

  it('turns a token the IdP refuses into 401 invalid-token, and a wrong client secret into 502', async () => {
    const provider = new DownstreamTokenProvider({
      client: { issuer, clientId: 'bff-mobile', clientSecret: 'bff-mobile-secret' },
      dependencies: {
        orders: { mode: 'exchange', resource: 'urn:orders-api' },
        misconfigured: { mode: 'exchange', resource: 'urn:orders-api', client: { clientSecret: 'wrong' } },
      },
    });
    const refused = await provider.tokenFor('orders', 'not.a.token').catch((e: unknown) => e);
    expect(isProblemException(refused) && refused.status).toBe(401);
    const alice = await login('alice');
    const misconfigured = await provider.tokenFor('misconfigured', alice.access_token).catch((e: unknown) => e);
    expect(isProblemException(misconfigured) && misconfigured.status).toBe(502);
  });
});
