import { randomUUID } from 'node:crypto';
import { RedisStateStore } from '@edge/state';
import { startRedisServer } from '@edge/testing';
import { harness } from '../testing/cache-harness';
import { connected } from '../testing/recording-state';
import { baseConfig, compileTestConfig } from '../testing/test-config';

const config = compileTestConfig(
  baseConfig({
    policies: { cache: { shared: { scope: 'shared', defaultTtlMs: 30_000, tags: ['catalog'], store: 'redis' } } },
    routes: [{ id: 'catalog', match: { path: '/catalog/**' }, cache: 'shared' }],
  }),
);

describe('edge cache in Redis', () => {
  it('is shared by instances: one stores, the other hits; a purge on either removes it for both', async () => {
    const prefix = `test:${randomUUID()}:`;
    const stateA = await connected(new RedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix }));
    const stateB = await connected(new RedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix }));
    const a = harness(config, { state: stateA });
    const b = harness(config, { state: stateB });
    try {
      const body = Buffer.from([0, 1, 2, 250, 255]); // binary-safe
      await a.call({ url: '/catalog/bin' }, { status: 200, headers: { 'content-type': 'application/octet-stream', etag: '"b"', vary: 'Accept' }, body });
      await new Promise((r) => setTimeout(r, 20)); // the store write completes after the response
      const hit = await b.call({ url: '/catalog/bin' });
      expect(hit.header('cache-status')).toMatch(/^edge; hit/);
      expect(hit.body.equals(body)).toBe(true);
      expect(hit.header('etag')).toBe('"b"');
      expect(b.seen).toHaveLength(0);
      expect(await b.engine.cache.purgePrefix('/catalog/')).toBe(1);
      const miss = await a.call({ url: '/catalog/bin' }, { status: 200, body: 'new' });
      expect(miss.body.toString()).toBe('new');
      await new Promise((r) => setTimeout(r, 20));
      expect(await a.engine.cache.purgeTag('catalog')).toBe(1);
      expect(await a.engine.cache.purgeTag('catalog')).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await stateA.close();
      await stateB.close();
    }
  });

  it('keeps answering (uncached) while Redis is down, and caches again when it is back', async () => {
    const redis = await startRedisServer();
    const state = await connected(new RedisStateStore({ url: redis.url, keyPrefix: 'gw:', commandTimeoutMs: 200 }));
    const h = harness(config, { state });
    try {
      await h.call({ url: '/catalog/x' }, { status: 200, body: 'one' });
      await new Promise((r) => setTimeout(r, 20));
      expect((await h.call({ url: '/catalog/x' })).header('cache-status')).toMatch(/^edge; hit/);
      await redis.stop();
      const down = await Promise.all([1, 2].map(() => h.call({ url: '/catalog/x' }, { status: 200, body: 'live' })));
      expect(down.map((r) => [r.statusCode, r.body.toString()])).toEqual([
        [200, 'live'],
        [200, 'live'],
      ]);
      await redis.start();
      await connected(state);
      await h.call({ url: '/catalog/x' }, { status: 200, body: 'two' });
      await new Promise((r) => setTimeout(r, 20));
      expect((await h.call({ url: '/catalog/x' })).body.toString()).toBe('two');
    } finally {
      await h.close();
      await state.close();
      await redis.stop();
    }
  });
});
