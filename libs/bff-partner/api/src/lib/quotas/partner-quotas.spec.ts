import { isProblemException } from '@edge/problem-details';
import { MemoryStateStore, StateUnavailableError, type StateStore } from '@edge/state';
import type { PartnerCaller } from '../auth/partner-caller';
import { partnerSettings } from '../settings/partner-settings';
import { PartnerQuotas } from './partner-quotas';

class ClockedQuotas extends PartnerQuotas {
  clock = Date.parse('2026-05-01T10:00:00Z');
  protected override now = () => this.clock;
}

const caller = (clientId: string, tenant = 'acme'): PartnerCaller => ({ sub: clientId, clientId, tenant, scopes: new Set(), credential: 'api-key' });

async function refusal(quotas: PartnerQuotas, who: PartnerCaller) {
  try {
    await quotas.consume(who);
    return undefined;
  } catch (error) {
    if (!isProblemException(error)) throw error;
    return error;
  }
}

describe('PartnerQuotas', () => {
  let clockNow: number;
  let store: MemoryStateStore;
  const make = (env: Record<string, string>) => {
    store = new MemoryStateStore(1000, () => clockNow);
    const quotas = new ClockedQuotas(store, partnerSettings(env));
    quotas.clock = clockNow;
    return quotas;
  };

  beforeEach(() => {
    clockNow = Date.parse('2026-05-01T10:00:00Z');
  });
  afterEach(() => store.close());

  it('announces both limits and the one closest to exhaustion', async () => {
    const quotas = make({ PARTNER_RATE_LIMIT: '10', PARTNER_RATE_WINDOW: '10s', PARTNER_QUOTA: '1000' });
    const { headers } = await quotas.consume(caller('partner-acme'));
    expect(headers).toEqual({ 'ratelimit-policy': '"partner";q=10;w=10, "partner-quota";q=1000;w=86400', ratelimit: '"partner";r=9;t=1' });
  });

  it('refuses past the rate limit with 429 rate-limited, Retry-After and the exhausted limit, per partner', async () => {
    const quotas = make({ PARTNER_RATE_LIMIT: '2', PARTNER_RATE_WINDOW: '10s', PARTNER_LIMITS: '{"partner-globex":{"rate":5}}' });
    await quotas.consume(caller('partner-acme'));
    await quotas.consume(caller('partner-acme'));
    const refused = await refusal(quotas, caller('partner-acme'));
    expect(refused?.code).toBe('rate-limited');
    expect(refused?.headers).toEqual({ 'retry-after': '5', ratelimit: '"partner";r=0;t=5', 'ratelimit-policy': '"partner";q=2;w=10, "partner-quota";q=10000;w=86400' });
    for (let i = 0; i < 5; i++) await quotas.consume(caller('partner-globex', 'globex'));
    expect((await refusal(quotas, caller('partner-globex', 'globex')))?.code).toBe('rate-limited');
    // Time refills the bucket.
    clockNow += 5000;
    quotas.clock = clockNow;
    await expect(quotas.consume(caller('partner-acme'))).resolves.toBeDefined();
  });

  it('counts a quota per aligned period and starts over in the next one', async () => {
    const quotas = make({ PARTNER_RATE_LIMIT: '1000', PARTNER_QUOTA: '3', PARTNER_QUOTA_PERIOD: '1h' });
    clockNow = Date.parse('2026-05-01T10:59:00Z');
    quotas.clock = clockNow;
    for (let i = 0; i < 3; i++) await quotas.consume(caller('partner-acme'));
    const refused = await refusal(quotas, caller('partner-acme'));
    expect(refused?.code).toBe('quota-exceeded');
    expect(refused?.headers['retry-after']).toBe('60');
    expect(refused?.headers['ratelimit']).toBe('"partner-quota";r=0;t=60');
    clockNow = Date.parse('2026-05-01T11:00:00Z');
    quotas.clock = clockNow;
    expect((await quotas.consume(caller('partner-acme'))).headers['ratelimit']).toBe('"partner-quota";r=2;t=3600');
  });

  it('fails open when the state store is unavailable', async () => {
    const broken = { consume: () => Promise.reject(new StateUnavailableError('down')) } as unknown as StateStore;
    const quotas = new PartnerQuotas(broken, partnerSettings({}));
    expect(await quotas.consume(caller('partner-acme'))).toEqual({ headers: { 'ratelimit-policy': '"partner";q=100;w=60, "partner-quota";q=10000;w=86400' } });
    store = new MemoryStateStore();
  });
});
