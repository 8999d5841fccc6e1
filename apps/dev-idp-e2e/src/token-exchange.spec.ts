import { clientCredentials, exchangeToken, loginWithPkce, startTestIssuer, type TokenResponse } from '@edge/testing';
import { mobileApp, sampleValue, startIdp, USER_SCOPE, type RunningIdp } from './support';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const web = { clientId: 'bff-web', clientSecret: 'bff-web-secret' };

describe('dev-idp: OAuth 2.0 Token Exchange (RFC 8693)', () => {
  let idp: RunningIdp;
  let alice: TokenResponse;

  beforeAll(async () => {
    idp = await startIdp();
    alice = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
  });
  afterAll(async () => {
    await idp.app.stop();
  });

  it("exchanges alice's edge-api token for an orders-api token with narrowed scopes and the BFF as actor", async () => {
    const subject = await idp.verifyAccessToken(alice.access_token);
    const exchanged = await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:orders-api' });
    expect(exchanged).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', scope: 'orders:read orders:write' });
    expect(exchanged.expires_in).toBeGreaterThan(0);
    const claims = await idp.verifyAccessToken(exchanged.access_token, 'orders-api');
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'orders-api', sub: 'alice', tenant: 'acme', client_id: 'mobile-app', scope: 'orders:read orders:write', act: { sub: 'bff-web' } });
    expect(claims.exp).toBeLessThanOrEqual(subject.exp as number);
    expect(claims.jti).not.toBe(subject.jti);
  });

  it('targets by audience as well, and narrows to the scope asked for', async () => {
    const exchanged = await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, audience: 'orders-api', scope: 'orders:read' });
    expect(exchanged.scope).toBe('orders:read');
    expect(await idp.verifyAccessToken(exchanged.access_token, 'orders-api')).toMatchObject({ scope: 'orders:read', sub: 'alice' });
    const customers = await exchangeToken({ issuer: idp.issuer, clientId: 'bff-mobile', clientSecret: 'bff-mobile-secret', subjectToken: alice.access_token, resource: 'urn:customers-api' });
    expect(await idp.verifyAccessToken(customers.access_token, 'customers-api')).toMatchObject({ scope: 'profile:read', act: { sub: 'bff-mobile' } });
  });

  it('refuses a scope the subject token does not hold, or the target does not understand', async () => {
    const narrow = await loginWithPkce({ issuer: idp.issuer, user: 'bob', password: 'password', ...mobileApp, scope: 'openid catalog:read orders:read' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: narrow.access_token, resource: 'urn:orders-api', scope: 'orders:write' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_scope',
    });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:orders-api', scope: 'catalog:read' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_scope',
    });
    // Without `scope`, the default is what both allow.
    const exchanged = await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: narrow.access_token, resource: 'urn:orders-api' });
    expect(exchanged.scope).toBe('orders:read');
  });

  it('refuses the public mobile client', async () => {
    await expect(exchangeToken({ issuer: idp.issuer, clientId: 'mobile-app', subjectToken: alice.access_token, resource: 'urn:orders-api' })).rejects.toMatchObject({
      status: 400,
      error: 'unauthorized_client',
    });
  });

  it('refuses unknown clients, wrong secrets and unknown targets', async () => {
    await expect(exchangeToken({ issuer: idp.issuer, clientId: 'bff-web', clientSecret: 'nope', subjectToken: alice.access_token, resource: 'urn:orders-api' })).rejects.toMatchObject({
      status: 401,
      error: 'invalid_client',
    });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:billing-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_target' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:edge-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_target' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token })).rejects.toMatchObject({ status: 400, error: 'invalid_target' });
    await expect(
      exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, subjectTokenType: 'urn:ietf:params:oauth:token-type:id_token', resource: 'urn:orders-api' }),
    ).rejects.toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it('refuses subject tokens for another audience, exchanged tokens, and forged tokens', async () => {
    const ordersToken = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE, resource: 'urn:orders-api' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: ordersToken.access_token, resource: 'urn:orders-api' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
    const exchanged = await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:orders-api' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: exchanged.access_token, resource: 'urn:catalog-api' })).rejects.toMatchObject({ status: 400 });

    // Same claims, same issuer name, but signed by a key dev-idp does not have.
    const forger = await startTestIssuer();
    const forged = await forger.mint({ iss: idp.issuer, aud: 'edge-api', sub: 'alice', tenant: 'acme', client_id: 'mobile-app', scope: 'orders:read', jti: 'forged-1' });
    await forger.close();
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: forged, resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_request' });
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: 'not-a-jwt', resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_request' });
  });

  it("exchanges a partner's client-credentials token for the partner BFF", async () => {
    const partner = await clientCredentials({ issuer: idp.issuer, clientId: 'partner-globex', clientSecret: 'partner-globex-secret', scope: 'catalog:read orders:read' });
    const exchanged = await exchangeToken({ issuer: idp.issuer, clientId: 'bff-partner', clientSecret: 'bff-partner-secret', subjectToken: partner.access_token, audience: 'catalog-api' });
    expect(await idp.verifyAccessToken(exchanged.access_token, 'catalog-api')).toMatchObject({
      sub: 'partner-globex',
      tenant: 'globex',
      client_id: 'partner-globex',
      scope: 'catalog:read',
      act: { sub: 'bff-partner' },
    });
  });

  it('counts exchanges (and every token request) by grant type and client', async () => {
    const labels = { grant_type: EXCHANGE, client_id: 'bff-web' };
    const before = sampleValue(await idp.metrics(), 'dev_idp_token_requests_total', labels);
    await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:orders-api' });
    await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: alice.access_token, resource: 'urn:catalog-api' });
    const after = await idp.metrics();
    expect(sampleValue(after, 'dev_idp_token_requests_total', labels)).toBe(before + 2);
    expect(sampleValue(after, 'dev_idp_token_requests_total', { grant_type: 'authorization_code', client_id: 'mobile-app' })).toBeGreaterThan(0);
    expect(sampleValue(after, 'dev_idp_token_errors_total', { grant_type: EXCHANGE, client_id: 'mobile-app', error: 'unauthorized_client' })).toBeGreaterThan(0);
  });
});

describe('dev-idp: token exchange of expired subject tokens', () => {
  let idp: RunningIdp;
  beforeAll(async () => {
    idp = await startIdp({ ACCESS_TOKEN_TTL_SECONDS: '2' });
  });
  afterAll(async () => {
    await idp.app.stop();
  });

  it('honours ACCESS_TOKEN_TTL_SECONDS, never outlives the subject, and refuses it once expired', async () => {
    const tokens = await loginWithPkce({ issuer: idp.issuer, user: 'alice', password: 'password', ...mobileApp, scope: USER_SCOPE });
    expect(tokens.expires_in).toBe(2);
    const subject = await idp.verifyAccessToken(tokens.access_token);
    const fresh = await exchangeToken({ issuer: idp.issuer, ...web, subjectToken: tokens.access_token, resource: 'urn:orders-api' });
    expect(fresh.expires_in).toBeLessThanOrEqual(2);
    expect((await idp.verifyAccessToken(fresh.access_token, 'orders-api')).exp).toBeLessThanOrEqual(subject.exp as number);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (subject.exp as number) * 1000 - Date.now()) + 1100));
    await expect(exchangeToken({ issuer: idp.issuer, ...web, subjectToken: tokens.access_token, resource: 'urn:orders-api' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_request',
    });
  });
});
