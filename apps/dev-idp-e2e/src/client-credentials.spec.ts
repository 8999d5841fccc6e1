import { clientCredentials } from '@edge/testing';
import { startIdp, type RunningIdp } from './support';

describe('dev-idp: client credentials for partners', () => {
  let idp: RunningIdp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await idp.app.stop();
  });

  it('issues partner-acme an edge-api token for its tenant with the scopes it asked for', async () => {
    const tokens = await clientCredentials({ issuer: idp.issuer, clientId: 'partner-acme', clientSecret: 'partner-acme-secret', scope: 'catalog:read orders:write' });
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'catalog:read orders:write' });
    expect(tokens.refresh_token).toBeUndefined();
    const claims = await idp.verifyAccessToken(tokens.access_token);
    expect(claims).toMatchObject({ iss: idp.issuer, aud: 'edge-api', sub: 'partner-acme', client_id: 'partner-acme', tenant: 'acme', scope: 'catalog:read orders:write' });
    expect(claims.jti).toEqual(expect.any(String));
  });

  it('keeps tenants apart', async () => {
    const tokens = await clientCredentials({ issuer: idp.issuer, clientId: 'partner-globex', clientSecret: 'partner-globex-secret', scope: 'orders:read' });
    expect(await idp.verifyAccessToken(tokens.access_token)).toMatchObject({ sub: 'partner-globex', tenant: 'globex', scope: 'orders:read' });
  });

  it('refuses scopes partners may not hold, and wrong secrets', async () => {
    await expect(clientCredentials({ issuer: idp.issuer, clientId: 'partner-acme', clientSecret: 'partner-acme-secret', scope: 'catalog:read profile:read' })).rejects.toMatchObject({
      status: 400,
      error: 'invalid_scope',
    });
    await expect(clientCredentials({ issuer: idp.issuer, clientId: 'partner-acme', clientSecret: 'partner-globex-secret', scope: 'catalog:read' })).rejects.toMatchObject({
      status: 401,
      error: 'invalid_client',
    });
  });

  it('accepts client_secret_post as well as client_secret_basic', async () => {
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'partner-acme', client_secret: 'partner-acme-secret', scope: 'catalog:read' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string };
    expect(await idp.verifyAccessToken(body.access_token)).toMatchObject({ sub: 'partner-acme', scope: 'catalog:read' });
  });

  it('answers a grant the client may not use with unauthorized_client (RFC 6749 §5.2)', async () => {
    const res = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('partner-acme:partner-acme-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'whatever' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ error: 'unauthorized_client' });
  });
});
