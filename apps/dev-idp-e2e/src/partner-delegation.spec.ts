import { clientCredentials, tokenRequest } from '@edge/testing';
import { startIdp, type RunningIdp } from './support';

const DELEGATION = 'urn:edge:params:oauth:grant-type:partner-delegation';
const bffPartner = { clientId: 'bff-partner', clientSecret: 'bff-partner-secret' };

/** The grant the partner BFF uses for API-key traffic (apps/dev-idp partner-delegation.grant.ts). */
describe('dev-idp: partner delegation for API-key traffic', () => {
  let idp: RunningIdp;
  const delegate = (params: Record<string, string | undefined>, client: { clientId: string; clientSecret?: string } = bffPartner) =>
    tokenRequest({ issuer: idp.issuer, ...client }, { grant_type: DELEGATION, ...params });

  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await idp.app.stop();
  });

  it("issues the partner BFF an orders-api token whose subject and tenant are the partner's, with the BFF as actor", async () => {
    const token = await delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:orders-api', scope: 'orders:read' });
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'orders:read' });
    expect(token.expires_in).toBeGreaterThan(0);
    const claims = await idp.verifyAccessToken(token.access_token, 'orders-api');
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'orders-api', sub: 'partner-acme', client_id: 'partner-acme', tenant: 'acme', scope: 'orders:read', act: { sub: 'bff-partner' } });
  });

  it('defaults to every scope the partner may hold that the API understands, and refuses more', async () => {
    const token = await delegate({ partner: 'partner-globex', tenant: 'globex', audience: 'catalog-api' });
    expect(await idp.verifyAccessToken(token.access_token, 'catalog-api')).toMatchObject({ sub: 'partner-globex', tenant: 'globex', scope: 'catalog:read' });
    await expect(delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:customers-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_scope' });
    await expect(delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:orders-api', scope: 'orders:read profile:read' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_scope',
    });
  });

  it("refuses a tenant other than the partner's own, and edge-api or missing targets", async () => {
    await expect(delegate({ partner: 'partner-acme', tenant: 'globex', resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_grant' });
    await expect(delegate({ partner: 'partner-acme', resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_request' });
    await expect(delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:edge-api' })).rejects.toMatchObject({ status: 400, error: 'invalid_target' });
    await expect(delegate({ partner: 'partner-acme', tenant: 'acme' })).rejects.toMatchObject({ status: 400, error: 'invalid_target' });
  });

  it('is only for clients configured to act for that partner', async () => {
    await expect(delegate({ partner: 'bff-web', tenant: 'acme', resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'unauthorized_client' });
    await expect(delegate({ partner: 'partner-initech', tenant: 'initech', resource: 'urn:orders-api' })).rejects.toMatchObject({ status: 400, error: 'unauthorized_client' });
    // Other clients may not use the grant at all, partners included.
    for (const client of [
      { clientId: 'bff-mobile', clientSecret: 'bff-mobile-secret' },
      { clientId: 'partner-acme', clientSecret: 'partner-acme-secret' },
      { clientId: 'mobile-app' },
    ]) {
      await expect(delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:orders-api' }, client)).rejects.toMatchObject({ status: 400, error: 'unauthorized_client' });
    }
    await expect(delegate({ partner: 'partner-acme', tenant: 'acme', resource: 'urn:orders-api' }, { clientId: 'bff-partner', clientSecret: 'wrong' })).rejects.toMatchObject({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('leaves the partner BFF its other grants and the partners their client credentials', async () => {
    const own = await clientCredentials({ issuer: idp.issuer, ...bffPartner, scope: 'catalog:read' });
    expect(await idp.verifyAccessToken(own.access_token)).toMatchObject({ sub: 'bff-partner', client_id: 'bff-partner' });
    const partner = await clientCredentials({ issuer: idp.issuer, clientId: 'partner-acme', clientSecret: 'partner-acme-secret', scope: 'orders:read' });
    expect(await idp.verifyAccessToken(partner.access_token)).toMatchObject({ sub: 'partner-acme', tenant: 'acme' });
  });
});
