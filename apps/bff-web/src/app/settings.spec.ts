import { randomBytes } from 'node:crypto';
import { ConfigError } from '@edge/config';
import { bffWebOptions } from './settings';

function problems(env: Record<string, string>): string[] {
  try {
    bffWebOptions(env, '/spa');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  throw new Error('accepted');
}

describe('bff-web settings', () => {
  it('runs on development defaults outside production (DESIGN.md §3 ports and URLs)', () => {
    const options = bffWebOptions({ NODE_ENV: 'development' }, '/spa');
    expect(options.oidc).toMatchObject({ issuer: 'http://localhost:4000', clientId: 'bff-web', clientSecret: 'bff-web-secret', allowHttp: true });
    expect(options.allowedOrigins).toEqual(['http://localhost:8080', 'http://localhost:3001']);
    expect(options.services.ordersUrl).toBe('http://127.0.0.1:4102');
    expect(options.session.keys).toHaveLength(1);
    expect(options.session).toMatchObject({ idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 });
    expect(options.redisUrl).toBeUndefined();
    expect(options.spaDirectory).toBe('/spa');
    expect(options.oidc.backchannelUrl).toBeUndefined();
  });

  it('takes a back-channel address for the IdP, https in production', () => {
    expect(bffWebOptions({ OIDC_BACKCHANNEL_URL: 'http://dev-idp:4000' }, '/spa').oidc.backchannelUrl).toBe('http://dev-idp:4000');
    expect(problems({ NODE_ENV: 'production', OIDC_BACKCHANNEL_URL: 'http://idp.internal' })).toContain('OIDC_BACKCHANNEL_URL: must be https when NODE_ENV=production');
  });

  it('refuses every development default in production, listing each', () => {
    const list = problems({ NODE_ENV: 'production' });
    expect(list).toEqual([
      expect.stringMatching(/^SESSION_ENCRYPTION_KEY: is required when NODE_ENV=production/),
      'BFF_WEB_CLIENT_SECRET: is required when NODE_ENV=production',
      'WEB_ALLOWED_ORIGINS: http://localhost:8080 must be https when NODE_ENV=production',
      'WEB_ALLOWED_ORIGINS: http://localhost:3001 must be https when NODE_ENV=production',
      'OIDC_ISSUER: must be https when NODE_ENV=production',
    ]);
  });

  it('accepts a production configuration', () => {
    const key = randomBytes(32).toString('hex');
    const options = bffWebOptions(
      {
        NODE_ENV: 'production',
        SESSION_ENCRYPTION_KEY: key,
        BFF_WEB_CLIENT_SECRET: 'a-real-secret',
        WEB_ALLOWED_ORIGINS: 'https://shop.example',
        OIDC_ISSUER: 'https://id.example',
        REDIS_URL: 'redis://redis:6379',
        SESSION_IDLE_TIMEOUT: '15m',
      },
      '/spa',
    );
    expect(options.session.keys[0]!.toString('hex')).toBe(key);
    expect(options.oidc.allowHttp).toBe(false);
    expect(options.session.idleMs).toBe(15 * 60_000);
    expect(options.redisUrl).toBe('redis://redis:6379');
  });

  it('reports malformed values without echoing secrets', () => {
    const list = problems({ SESSION_ENCRYPTION_KEY: 'sekrit-not-a-key', WEB_ALLOWED_ORIGINS: 'http://localhost:3001/web', SESSION_IDLE_TIMEOUT: '9h' });
    expect(list.join('\n')).not.toContain('sekrit');
    expect(list).toEqual([
      expect.stringMatching(/^SESSION_ENCRYPTION_KEY: entry 1/),
      'WEB_ALLOWED_ORIGINS: "http://localhost:3001/web" is not an origin (scheme://host[:port])',
      'SESSION_IDLE_TIMEOUT: must not exceed SESSION_ABSOLUTE_TIMEOUT',
    ]);
  });
});
