import { clientCredentials, cookieHeader, createCookieJar, DevIdpError, exchangeToken, storeCookies } from './dev-idp-client';
import { startEchoUpstream, type EchoUpstream } from './echo-upstream';

describe('dev-idp client: cookie jar', () => {
  const origin = new URL('http://localhost:4000/auth?x=1');

  it('sends cookies to their path and below only', () => {
    const jar = createCookieJar();
    storeCookies(jar, ['_interaction=abc; path=/interaction/u1; httponly; samesite=lax', '_session=s1; path=/; expires=Wed, 01 Jan 2070 00:00:00 GMT'], origin);
    expect(cookieHeader(jar, new URL('http://localhost:4000/interaction/u1/login'))).toBe('_interaction=abc; _session=s1');
    expect(cookieHeader(jar, new URL('http://localhost:4000/interaction/u10'))).toBe('_session=s1');
    expect(cookieHeader(jar, new URL('http://localhost:4000/auth'))).toBe('_session=s1');
  });

  it('replaces cookies by name and path, and forgets expired ones', () => {
    const jar = createCookieJar();
    storeCookies(jar, ['a=1; path=/', 'b=2; path=/'], origin);
    storeCookies(jar, ['a=3; path=/', 'b=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT'], origin);
    expect(cookieHeader(jar, origin)).toBe('a=3');
    storeCookies(jar, ['a=4; Max-Age=0; path=/'], origin);
    expect(cookieHeader(jar, origin)).toBeUndefined();
  });

  it('defaults the path to the directory of the request', () => {
    const jar = createCookieJar();
    storeCookies(jar, ['c=1'], new URL('http://localhost:4000/session/end/confirm'));
    expect(cookieHeader(jar, new URL('http://localhost:4000/session/end/x'))).toBe('c=1');
    expect(cookieHeader(jar, new URL('http://localhost:4000/auth'))).toBeUndefined();
  });
});

describe('dev-idp client: token endpoint', () => {
  let idp: EchoUpstream;
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    idp = await startEchoUpstream();
    idp.handle((req, res) => {
      const json = req.url?.startsWith('/.well-known/')
        ? { issuer: idp.url, authorization_endpoint: `${idp.url}/auth`, token_endpoint: `${idp.url}/token` }
        : answer.body;
      const payload = JSON.stringify(json);
      res.writeHead(req.url?.startsWith('/.well-known/') ? 200 : answer.status, { 'content-type': 'application/json' });
      res.end(payload);
    });
  });
  afterAll(() => idp.close());

  it('authenticates with client_secret_basic, form-encoding id and secret first (RFC 6749 §2.3.1)', async () => {
    answer = { status: 200, body: { access_token: 'at', token_type: 'Bearer' } };
    const tokens = await clientCredentials({ issuer: idp.url, clientId: 'partner:acme', clientSecret: 'p@ss word', scope: 'catalog:read' });
    expect(tokens.access_token).toBe('at');
    const sent = idp.requests[idp.requests.length - 1];
    const basic = Buffer.from(String(sent?.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(basic).toBe('partner%3Aacme:p%40ss%20word');
    expect(new URLSearchParams(sent?.body.toString('utf8')).get('client_id')).toBeNull();
  });

  it('sends RFC 8693 parameters, client_id in the body for public clients', async () => {
    answer = { status: 200, body: { access_token: 'x', token_type: 'Bearer', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token' } };
    await exchangeToken({ issuer: idp.url, clientId: 'mobile-app', subjectToken: 'subject', audience: 'orders-api' });
    const sent = idp.requests[idp.requests.length - 1];
    const form = new URLSearchParams(sent?.body.toString('utf8'));
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'subject',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      audience: 'orders-api',
      client_id: 'mobile-app',
    });
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('turns OAuth error answers into DevIdpError with status and code', async () => {
    answer = { status: 400, body: { error: 'invalid_scope', error_description: 'requested scope is not allowed' } };
    const failure = clientCredentials({ issuer: idp.url, clientId: 'partner-acme', clientSecret: 's', scope: 'profile:read' });
    await expect(failure).rejects.toBeInstanceOf(DevIdpError);
    await expect(failure).rejects.toMatchObject({ status: 400, error: 'invalid_scope', errorDescription: 'requested scope is not allowed' });
    answer = { status: 502, body: 'not json' };
    await expect(clientCredentials({ issuer: idp.url, clientId: 'c', clientSecret: 's' })).rejects.toMatchObject({ status: 502, error: undefined });
  });
});
