import { randomUUID } from 'node:crypto';
import { RedisStateStore } from '@edge/state';
import { startRedisServer, type RedisServer } from '@edge/testing';
import pino from 'pino';
import { createPolicyEngine } from '../create-policy-engine';
import { policyMetrics } from '../metrics';
import { connected } from '../testing/recording-state';
import { runExchange } from '../testing/run-exchange';
import { baseConfig, compileTestConfig } from '../testing/test-config';
import { testExchange, type TestRequest } from '../testing/test-exchange';
import type { PolicyEngine } from '../policy-engine';

const log = pino({ level: 'silent' });

const config = compileTestConfig(
  baseConfig({
    policies: {
      rateLimits: {
        shared: { keyBy: ['ip'], limit: 10, windowMs: 60_000, store: 'redis' },
        'fail-open': { keyBy: ['ip'], limit: 2, windowMs: 60_000, onStoreFailure: 'open' },
        'fail-closed': { keyBy: ['ip'], limit: 2, windowMs: 60_000, onStoreFailure: 'closed' },
        local: { keyBy: ['ip'], limit: 1, windowMs: 60_000, store: 'memory' },
      },
    },
    routes: [
      { id: 'shared', match: { path: '/shared/**' }, rateLimits: ['shared'] },
      { id: 'open', match: { path: '/open/**' }, rateLimits: ['fail-open'] },
      { id: 'closed', match: { path: '/closed/**' }, rateLimits: ['fail-closed'] },
      { id: 'local', match: { path: '/local/**' }, rateLimits: ['local'] },
    ],
  }),
);

const call = async (engine: PolicyEngine, request: TestRequest) => {
  const { exchange } = testExchange(config, request);
  return runExchange(engine, exchange, () => ({ status: 200, body: 'ok' }));
};

const failures = async (policy: string, mode: string) =>
  (await policyMetrics.rateLimitStoreFailures.get()).values.find((v) => v.labels['policy'] === policy && v.labels['mode'] === mode)?.value ?? 0;

describe('rate limits in Redis', () => {
  it('two engines (two gateway instances) sharing one Redis enforce one limit', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = await connected(new RedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix }));
    const b = await connected(new RedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix }));
    const one = createPolicyEngine(config, { state: a, log });
    const two = createPolicyEngine(config, { state: b, log });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await call(i % 2 === 0 ? one : two, { url: '/shared/x', clientIp: '192.0.2.1' })).statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    } finally {
      await one.close();
      await two.close();
      await a.close();
      await b.close();
    }
  });

  it('keeps store: memory policies per instance even with Redis configured', async () => {
    const state = await connected(new RedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: `test:${randomUUID()}:` }));
    const one = createPolicyEngine(config, { state, log });
    const two = createPolicyEngine(config, { state, log });
    try {
      expect((await call(one, { url: '/local/x' })).statusCode).toBe(200);
      expect((await call(one, { url: '/local/x' })).statusCode).toBe(429);
      expect((await call(two, { url: '/local/x' })).statusCode).toBe(200);
    } finally {
      await one.close();
      await two.close();
      await state.close();
    }
  });

  it('refuses to start a store: redis policy without Redis', () => {
    const memory = { kind: 'memory' } as never;
    expect(() => createPolicyEngine(config, { state: memory, log })).toThrow(/needs store redis/);
  });

  describe('when Redis goes away mid-test', () => {
    let redis: RedisServer;
    let state: RedisStateStore;
    let engine: PolicyEngine;

    beforeAll(async () => {
      redis = await startRedisServer();
      state = await connected(new RedisStateStore({ url: redis.url, keyPrefix: 'gw:', commandTimeoutMs: 200 }));
      engine = createPolicyEngine(config, { state, log });
    });

    afterAll(async () => {
      await engine.close();
      await state.close();
      await redis.stop();
    });

    it('fails open (counted as a warning metric) or closed (503 with Retry-After) per policy, and recovers', async () => {
      expect((await call(engine, { url: '/open/x' })).statusCode).toBe(200);
      expect((await call(engine, { url: '/closed/x' })).statusCode).toBe(200);
      const openBefore = await failures('fail-open', 'open');
      const closedBefore = await failures('fail-closed', 'closed');
      await redis.stop();

      const open = await Promise.all([1, 2, 3, 4].map(() => call(engine, { url: '/open/x' })));
      expect(open.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]); // over the limit of 2, uncounted
      expect(open[0]?.header('ratelimit')).toBeUndefined();
      expect((await failures('fail-open', 'open')) - openBefore).toBe(4);

      const closed = await call(engine, { url: '/closed/x' });
      expect(closed.statusCode).toBe(503);
      expect(JSON.parse(closed.body.toString()).type).toBe('urn:edge:problem:dependency-unavailable');
      expect(closed.header('retry-after')).toBe('1');
      expect((await failures('fail-closed', 'closed')) - closedBefore).toBe(1);

      await redis.start();
      const deadline = Date.now() + 5_000;
      let recovered = 0;
      while (Date.now() < deadline) {
        recovered = (await call(engine, { url: '/closed/x', clientIp: '192.0.2.200' })).statusCode;
        if (recovered === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(recovered).toBe(200);
    });
  });
});
