import { MemoryStateStore } from '@edge/state';
import pino from 'pino';
import { createPolicyEngine } from './create-policy-engine';
import { runExchange } from './testing/run-exchange';
import { baseConfig, compileTestConfig } from './testing/test-config';
import { testExchange } from './testing/test-exchange';

const log = pino({ level: 'silent' });
const raw = (ttl: number, other: number) =>
  baseConfig({
    policies: { cache: { kept: { scope: 'shared', defaultTtlMs: 60_000 }, changed: { scope: 'shared', defaultTtlMs: ttl } }, rateLimits: { other: { keyBy: ['ip'], limit: other, windowMs: 1000 } } },
    routes: [
      { id: 'kept', match: { path: '/kept/**' }, cache: 'kept' },
      { id: 'changed', match: { path: '/changed/**' }, cache: 'changed' },
    ],
  });

describe('createPolicyEngine across config versions', () => {
  it('takes over in-memory caches of unchanged policies on reload, and releases them only once', async () => {
    const state = new MemoryStateStore();
    const v1 = compileTestConfig(raw(60_000, 1));
    const v2 = compileTestConfig(raw(30_000, 2));
    const first = createPolicyEngine(v1, { state, log });
    let calls = 0;
    const upstream = () => {
      calls++;
      return { status: 200, body: `v${calls}` };
    };
    for (const url of ['/kept/a', '/changed/a']) await runExchange(first, testExchange(v1, { url }).exchange, upstream);
    const second = createPolicyEngine(v2, { state, log, previous: first });
    await first.close(); // the runtime retires the old version after swapping
    const kept = await runExchange(second, testExchange(v2, { url: '/kept/a' }).exchange, upstream);
    expect(kept.body.toString()).toBe('v1');
    const changed = await runExchange(second, testExchange(v2, { url: '/changed/a' }).exchange, upstream);
    expect(changed.body.toString()).toBe('v3');
    expect(await second.cache.purgePrefix('/')).toBe(2);
    await second.close();
  });

  it('passes requests of routes without policies straight through', async () => {
    const config = compileTestConfig(baseConfig({ routes: [{ id: 'bare', match: { path: '/bare/**' } }] }));
    const engine = createPolicyEngine(config, { state: new MemoryStateStore(), log });
    const { exchange } = testExchange(config, { url: '/bare/x' });
    expect(engine.beforeAuth(exchange)).toBe('continue');
    expect(engine.afterAuth(exchange)).toBe('continue'); // no promise where nothing waits
    expect(exchange.responseFilters).toHaveLength(0);
    expect(exchange.responseHeaders).toHaveLength(0);
    expect(exchange.upstreamRequestFilters).toBeUndefined();
    await engine.close();
  });
});
