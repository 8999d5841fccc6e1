import { devIdpSettings } from './settings';
import { productionRefusal } from './production-guard';

describe('dev-idp settings', () => {
  it('defaults to port 4000 and issuer http://localhost:4000', () => {
    const settings = devIdpSettings({});
    expect(settings).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', OIDC_ISSUER: 'http://localhost:4000', ACCESS_TOKEN_TTL_SECONDS: 300, BFF_WEB_CLIENT_SECRET: 'bff-web-secret' });
    expect(settings.BFF_WEB_BACKCHANNEL_LOGOUT_URI).toBe('http://localhost:3001/web/backchannel-logout');
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it('lets the issuer follow PORT unless OIDC_ISSUER is set', () => {
    expect(devIdpSettings({ PORT: '4555' }).OIDC_ISSUER).toBe('http://localhost:4555');
    expect(devIdpSettings({ PORT: '4555', OIDC_ISSUER: 'http://idp.test:9000/' }).OIDC_ISSUER).toBe('http://idp.test:9000');
  });

  it('reads the client overrides', () => {
    const settings = devIdpSettings({ BFF_WEB_REDIRECT_URIS: 'http://a.test/cb, http://b.test/cb', BFF_WEB_CLIENT_SECRET: 'another-secret' });
    expect(settings.BFF_WEB_REDIRECT_URIS).toEqual(['http://a.test/cb', 'http://b.test/cb']);
    expect(settings.BFF_WEB_CLIENT_SECRET).toBe('another-secret');
  });

  it('reports every problem at once, never echoing the secret', () => {
    let message = '';
    try {
      devIdpSettings({ PORT: 'x', ACCESS_TOKEN_TTL_SECONDS: '0', BFF_WEB_CLIENT_SECRET: 'short', OIDC_ISSUER: 'not a url' });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const key of ['PORT', 'ACCESS_TOKEN_TTL_SECONDS', 'BFF_WEB_CLIENT_SECRET', 'OIDC_ISSUER']) expect(message).toContain(key);
    expect(message).not.toContain('short');
  });
});

describe('production refusal', () => {
  it('refuses NODE_ENV=production in any spelling, and nothing else', () => {
    expect(productionRefusal({ NODE_ENV: 'production' })).toMatch(/refuses to start/);
    expect(productionRefusal({ NODE_ENV: ' Production ' })).toMatch(/refuses to start/);
    expect(productionRefusal({ NODE_ENV: 'development' })).toBeUndefined();
    expect(productionRefusal({})).toBeUndefined();
  });
});
