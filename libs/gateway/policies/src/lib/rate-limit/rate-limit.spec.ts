import { MemoryStateStore } from '@edge/state';
import pino from 'pino';
import { createPolicyEngine } from '../create-policy-engine';
import { policyMetrics } from '../metrics';
import { recordingState } from '../testing/recording-state';
import { runExchange } from '../testing/run-exchange';
import { parseSfList } from '../testing/structured-fields';
import { baseConfig, compileTestConfig } from '../testing/test-config';
import { testExchange, type TestRequest } from '../testing/test-exchange';
import { clientBucket, hashApiKey } from './rate-limit-keys';

const log = pino({ level: 'silent' });

const config = compileTestConfig(
  baseConfig({
    policies: {
      rateLimits: {
        'per-ip': { keyBy: ['ip'], limit: 3, windowMs: 60_000 },
        'per-user': { keyBy: ['user'], limit: 5, windowMs: 60_000 },
        'per-tenant': { keyBy: ['tenant'], limit: 8, windowMs: 60_000 },
        'per-key': { keyBy: ['apiKey'], limit: 2, windowMs: 60_000, whenKeyMissing: 'skip' },
        'per-client-daily': { keyBy: ['client'], quotas: [{ limit: 4, period: 'day' }], whenKeyMissing: 'skip' },
        'per-user-or-ip': { keyBy: ['user', 'tenant'], limit: 2, windowMs: 60_000, whenKeyMissing: 'limit-by-ip' },
      },
    },
    routes: [
      { id: 'anon', match: { path: '/anon/**' }, rateLimits: ['per-ip'] },
      { id: 'users', match: { path: '/users/**' }, auth: 'users', rateLimits: ['per-tenant', 'per-user'] },
      { id: 'heavy', match: { path: '/heavy/**' }, auth: 'users', rateLimits: ['per-user'], cost: 2 },
      { id: 'partner', match: { path: '/partner/**' }, auth: 'users', rateLimits: ['per-key', 'per-client-daily'] },
      { id: 'fallback', match: { path: '/fallback/**' }, auth: 'users', rateLimits: ['per-user-or-ip'] },
    ],
  }),
);

function setup(start = Date.UTC(2026, 4, 31, 23, 59, 0)) {
  let now = start;
  const clock = () => now;
  const state = recordingState(new MemoryStateStore(1_000_000, clock));
  const engine = createPolicyEngine(config, { state, log, now: clock });
  let upstreamCalls = 0;
  const call = async (request: TestRequest) => {
    const { exchange } = testExchange(config, request);
    const res = await runExchange(engine, exchange, () => {
      upstreamCalls++;
      return { status: 200, body: 'ok' };
    });
    return res;
  };
  return { engine, state, call, advance: (ms: number) => (now += ms), upstream: () => upstreamCalls };
}

const alice = { sub: 'alice', tenant: 'acme' };
const bob = { sub: 'bob', tenant: 'acme' };
const carol = { sub: 'carol', tenant: 'globex' };

describe('rate limits', () => {
  it('allows exactly the limit, then 429 problem with Retry-After and RateLimit fields; refusals never reach the upstream', async () => {
    const t = setup();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.call({ url: '/anon/x' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(t.upstream()).toBe(3);
    const res = await t.call({ url: '/anon/x' });
    const body = JSON.parse(res.body.toString());
    expect(body.type).toBe('urn:edge:problem:rate-limited');
    expect(body.status).toBe(429);
    expect(res.header('content-type')).toBe('application/problem+json');
    // 3 per 60 s: one unit comes back every 20 s
    expect(Number(res.header('retry-after'))).toBe(20);
    const [limit] = parseSfList(res.header('ratelimit') as string);
    expect(limit).toEqual({ value: 'per-ip', params: { r: 0, t: 20 } });
    expect(parseSfList(res.header('ratelimit-policy') as string)).toEqual([{ value: 'per-ip', params: { q: 3, w: 60 } }]);
    t.advance(20_000);
    expect((await t.call({ url: '/anon/x' })).statusCode).toBe(200);
    await t.engine.close();
  });

  it('puts both fields on successful responses, in the draft syntax (Strings with Integer parameters)', async () => {
    const t = setup();
    const res = await t.call({ url: '/users/x', user: alice });
    expect(res.statusCode).toBe(200);
    const policy = parseSfList(res.header('ratelimit-policy') as string);
    expect(policy).toEqual([
      { value: 'per-user', params: { q: 5, w: 60 } },
      { value: 'per-tenant', params: { q: 8, w: 60 } },
    ]);
    const limit = parseSfList(res.header('ratelimit') as string);
    expect(limit).toHaveLength(1);
    // the policy closest to exhaustion: per-user has 4 left, per-tenant 7
    expect(limit[0]).toEqual({ value: 'per-user', params: { r: 4, t: 12 } });
    for (const item of [...policy, ...limit]) {
      expect(typeof item.value).toBe('string');
      for (const v of Object.values(item.params)) expect(Number.isInteger(v) && (v as number) >= 0).toBe(true);
    }
    await t.engine.close();
  });

  it('keeps tenants apart: one tenant exhausting its bucket leaves another untouched', async () => {
    const t = setup();
    // acme: alice 5 + bob 3 = 8, the tenant limit
    for (let i = 0; i < 5; i++) expect((await t.call({ url: '/users/x', user: alice })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await t.call({ url: '/users/x', user: bob })).statusCode).toBe(200);
    const refused = await t.call({ url: '/users/x', user: bob });
    expect(refused.statusCode).toBe(429);
    expect(parseSfList(refused.header('ratelimit') as string)[0]?.value).toBe('per-tenant');
    const other = await t.call({ url: '/users/x', user: carol });
    expect(other.statusCode).toBe(200);
    expect(parseSfList(other.header('ratelimit') as string)[0]?.params['r']).toBe(4);
    await t.engine.close();
  });

  it('does not let one user spend the tenant bucket with requests their own limit refuses', async () => {
    const t = setup();
    for (let i = 0; i < 20; i++) await t.call({ url: '/users/x', user: alice }); // 5 allowed, 15 refused by per-user
    for (let i = 0; i < 3; i++) expect((await t.call({ url: '/users/x', user: bob })).statusCode).toBe(200);
    await t.engine.close();
  });

  it('charges the route cost', async () => {
    const t = setup();
    expect((await t.call({ url: '/heavy/x', user: alice })).statusCode).toBe(200);
    expect((await t.call({ url: '/heavy/x', user: alice })).statusCode).toBe(200);
    const third = await t.call({ url: '/heavy/x', user: alice });
    expect(third.statusCode).toBe(429); // 5 units: 2 + 2, then 2 > 1 left
    await t.engine.close();
  });

  it('counts the resolved client address only: rotating X-Forwarded-For creates no new bucket', async () => {
    const t = setup();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await t.call({ url: '/anon/x', clientIp: '198.51.100.4', headers: { 'x-forwarded-for': `10.0.0.${i}` } })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(new Set(t.state.keys)).toEqual(new Set(['per-ip:w:ip=198.51.100.4']));
    await t.engine.close();
  });

  it('limits IPv6 clients by /64 and unmaps IPv4-mapped addresses', async () => {
    expect(clientBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:db8:1:2:bbbb::2')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientBucket('::1')).toBe('0:0:0:0::/64');
    expect(clientBucket('192.0.2.1')).toBe('192.0.2.1');
    const t = setup();
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await t.call({ url: '/anon/x', clientIp: `2001:db8:1:2::${i}` })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await t.call({ url: '/anon/x', clientIp: '2001:db8:1:3::1' })).statusCode).toBe(200);
    await t.engine.close();
  });

  it('names API-key buckets by a digest: the key is never stored', async () => {
    const t = setup();
    const key = 'sk_live_very-secret-value';
    expect((await t.call({ url: '/partner/x', apiKey: key })).statusCode).toBe(200);
    expect((await t.call({ url: '/partner/x', apiKey: key })).statusCode).toBe(200);
    expect((await t.call({ url: '/partner/x', apiKey: key })).statusCode).toBe(429);
    expect((await t.call({ url: '/partner/x', apiKey: 'another-key' })).statusCode).toBe(200);
    expect(t.state.keys.join('\n')).not.toContain('secret');
    expect(t.state.keys).toContain(`per-key:w:apiKey=${hashApiKey(key)}`);
    await t.engine.close();
  });

  it('applies calendar quotas (UTC day): quota-exceeded until midnight, then a fresh quota', async () => {
    const t = setup(Date.UTC(2026, 4, 31, 23, 0, 0)); // one hour before midnight
    const partner = { sub: 'partner-acme', tenant: 'acme', clientId: 'partner-acme' };
    for (let i = 0; i < 4; i++) {
      const res = await t.call({ url: '/partner/x', user: partner });
      expect(res.statusCode).toBe(200);
      expect(parseSfList(res.header('ratelimit') as string)[0]).toEqual({ value: 'per-client-daily/day', params: { r: 3 - i, t: 3600 } });
    }
    const refused = await t.call({ url: '/partner/x', user: partner });
    expect(refused.statusCode).toBe(429);
    expect(JSON.parse(refused.body.toString()).type).toBe('urn:edge:problem:quota-exceeded');
    expect(refused.header('retry-after')).toBe('3600');
    expect(parseSfList(refused.header('ratelimit-policy') as string)).toEqual([{ value: 'per-client-daily/day', params: { q: 4, w: 86400 } }]);
    t.advance(30 * 60_000);
    expect((await t.call({ url: '/partner/x', user: partner })).statusCode).toBe(429); // no refill within the day
    t.advance(30 * 60_000);
    expect((await t.call({ url: '/partner/x', user: partner })).statusCode).toBe(200); // a new UTC day
    await t.engine.close();
  });

  it('skips a policy whose key is missing, or limits by IP, as configured', async () => {
    const t = setup();
    // per-key skipped (no key), per-client-daily skipped (no client id): nothing limits
    const res = await t.call({ url: '/partner/x', user: alice });
    expect(res.statusCode).toBe(200);
    expect(res.header('ratelimit')).toBeUndefined();
    // per-user-or-ip needs user + tenant: a token without tenant falls back to the IP
    const noTenant = { sub: 'dave' };
    expect((await t.call({ url: '/fallback/x', user: noTenant, clientIp: '192.0.2.50' })).statusCode).toBe(200);
    expect((await t.call({ url: '/fallback/x', user: { sub: 'erin' }, clientIp: '192.0.2.50' })).statusCode).toBe(200);
    expect((await t.call({ url: '/fallback/x', user: { sub: 'frank' }, clientIp: '192.0.2.50' })).statusCode).toBe(429);
    expect(t.state.keys).toContain('per-user-or-ip:w:ip=192.0.2.50');
    await t.engine.close();
  });

  it('counts decisions in metrics', async () => {
    const t = setup();
    const before = (await policyMetrics.rateLimitDecisions.get()).values.find((v) => v.labels['policy'] === 'per-ip' && v.labels['result'] === 'limited')?.value ?? 0;
    for (let i = 0; i < 4; i++) await t.call({ url: '/anon/x', clientIp: '192.0.2.99' });
    const after = (await policyMetrics.rateLimitDecisions.get()).values.find((v) => v.labels['policy'] === 'per-ip' && v.labels['result'] === 'limited')?.value ?? 0;
    expect(after - before).toBe(1);
    await t.engine.close();
  });
});
