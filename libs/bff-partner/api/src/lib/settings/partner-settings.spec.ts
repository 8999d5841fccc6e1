import { ConfigError } from '@edge/config';
import { partnerSettings } from './partner-settings';

describe('partnerSettings', () => {
  it('has the defaults of DESIGN.md and the partner limits', () => {
    const settings = partnerSettings({});
    expect(settings).toMatchObject({
      OIDC_ISSUER: 'http://localhost:4000',
      ORDERS_URL: 'http://127.0.0.1:4102',
      CATALOG_URL: 'http://127.0.0.1:4101',
      BFF_PARTNER_CLIENT_ID: 'bff-partner',
      PARTNER_KEYS_FILE: 'tmp/partner-keys.json',
      PARTNER_RATE_LIMIT: 100,
      PARTNER_RATE_WINDOW: 60_000,
      PARTNER_QUOTA: 10_000,
      PARTNER_QUOTA_PERIOD: 86_400_000,
      IDEMPOTENCY_TTL: 86_400_000,
      v1Sunset: undefined,
    });
    expect(settings.limits.size).toBe(0);
  });

  it('reads per-partner limits and the v1 sunset', () => {
    const settings = partnerSettings({ PARTNER_LIMITS: '{"partner-acme":{"rate":5,"quota":50}}', PARTNER_V1_SUNSET: 'Wed, 30 Jun 2027 00:00:00 GMT' });
    expect(settings.limits.get('partner-acme')).toEqual({ rate: 5, quota: 50 });
    expect(settings.v1Sunset?.toISOString()).toBe('2027-06-30T00:00:00.000Z');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      partnerSettings({ PARTNER_LIMITS: '{"partner-acme":{"rate":0,"burst":3}}', PARTNER_V1_SUNSET: 'someday' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.key)).toEqual(['PARTNER_LIMITS', 'PARTNER_LIMITS', 'PARTNER_V1_SUNSET']);
    expect(() => partnerSettings({ PARTNER_LIMITS: '[1]' })).toThrow(ConfigError);
  });
});
