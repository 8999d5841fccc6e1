import { request } from 'undici';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startEchoUpstream } from './echo-upstream';
import { startTestIssuer } from './test-issuer';

describe('echo upstream', () => {
  it('records exactly what it received and echoes it', async () => {
    const echo = await startEchoUpstream();
    const res = await request(`${echo.url}/a/b?x=1&x=2`, { method: 'POST', body: 'hi', headers: { 'x-test': 'yes' } });
    const body = (await res.body.json()) as { url: string; body: string };
    expect(body).toMatchObject({ url: '/a/b?x=1&x=2', body: 'hi' });
    expect(echo.requests[0]?.headers['x-test']).toBe('yes');
    await echo.close();
  });
});

describe('test issuer', () => {
  it('mints tokens that verify against its JWKS, and rotates keys', async () => {
    const issuer = await startTestIssuer();
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri));
    const token = await issuer.mint({ sub: 'bob' });
    const { payload } = await jwtVerify(token, jwks, { issuer: issuer.issuer, audience: 'edge-api' });
    expect(payload.sub).toBe('bob');
    await issuer.rotate(true);
    const second = await issuer.mint();
    expect(second.split('.')[0]).not.toBe(token.split('.')[0]);
    expect(issuer.jwksFetches()).toBeGreaterThan(0);
    await issuer.close();
  });
});
