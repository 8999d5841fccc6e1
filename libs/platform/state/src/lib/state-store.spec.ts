import { randomUUID } from 'node:crypto';
import { startRedisServer } from '@edge/testing';
import { MemoryStateStore } from './memory-state-store';
import { RedisStateStore } from './redis-state-store';
import { StateUnavailableError, type StateStore } from './state-store';

const adapters: [string, () => StateStore][] = [
  ['memory', () => new MemoryStateStore()],
  ['redis', () => new RedisStateStore({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', keyPrefix: `test:${randomUUID()}:` })],
];

describe.each(adapters)('%s state store', (_name, create) => {
  let store: StateStore;
  beforeAll(async () => {
    store = create();
    for (let i = 0; i < 50 && !(await store.ping()); i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(() => store.close());

  it('rate-limits with a token bucket: burst of `limit`, then refused with retry-after', async () => {
    const spec = { limit: 5, periodMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await store.consume('bucket-a', spec));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    const refused = decisions[5]!;
    expect(refused.retryAfterMs).toBeGreaterThan(10_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(12_000);
    expect(refused.resetMs).toBeGreaterThan(59_000);
  });

  it('spends the cost weight and keeps buckets apart', async () => {
    const spec = { limit: 10, periodMs: 60_000, cost: 4 };
    expect((await store.consume('bucket-b', spec)).remaining).toBe(6);
    expect((await store.consume('bucket-b', spec)).remaining).toBe(2);
    expect((await store.consume('bucket-b', spec)).allowed).toBe(false);
    expect((await store.consume('bucket-c', spec)).remaining).toBe(6);
    expect((await store.peek('bucket-c', { limit: 10, periodMs: 60_000 })).remaining).toBe(6);
  });

  it('refills continuously (no fixed-window edge burst)', async () => {
    const spec = { limit: 2, periodMs: 200 };
    expect((await store.consume('bucket-d', spec)).allowed).toBe(true);
    expect((await store.consume('bucket-d', spec)).allowed).toBe(true);
    expect((await store.consume('bucket-d', spec)).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect((await store.consume('bucket-d', spec)).allowed).toBe(true);
    expect((await store.consume('bucket-d', spec)).allowed).toBe(false);
  });

  it('stores values with TTL and set-if-absent', async () => {
    await store.set('k1', 'v1', 60_000);
    expect(await store.get('k1')).toBe('v1');
    expect(await store.setIfAbsent('k1', 'v2', 60_000)).toBe(false);
    expect(await store.setIfAbsent('k2', 'v2', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.get('k2')).toBeUndefined();
    await store.delete('k1');
    expect(await store.get('k1')).toBeUndefined();
  });

  it('lets exactly one of many concurrent callers win set-if-absent', async () => {
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('race', String(i), 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('leases locks to one holder at a time', async () => {
    const token = await store.acquireLock('refresh', 1000);
    expect(token).toBeDefined();
    expect(await store.acquireLock('refresh', 1000)).toBeUndefined();
    await store.releaseLock('refresh', 'not-the-token');
    expect(await store.acquireLock('refresh', 1000)).toBeUndefined();
    await store.releaseLock('refresh', token as string);
    expect(await store.acquireLock('refresh', 1000)).toBeDefined();
  });

  it('keeps an index whose members expire one by one, and removes members', async () => {
    await store.addToIndex('index-a', 'short', 50, 60_000);
    await store.addToIndex('index-a', 'long', 60_000, 60_000);
    await store.addToIndex('index-a', 'gone', 60_000, 60_000);
    await store.removeFromIndex('index-a', ['gone']);
    expect((await store.indexMembers('index-a')).sort()).toEqual(['long', 'short']);
    await new Promise((r) => setTimeout(r, 80));
    // Still kept alive by its other member, the index no longer names the expired one.
    expect(await store.indexMembers('index-a')).toEqual(['long']);
    await store.addToIndex('index-a', 'short', 60_000, 60_000);
    expect((await store.indexMembers('index-a')).sort()).toEqual(['long', 'short']);
    await store.delete('index-a');
    expect(await store.indexMembers('index-a')).toEqual([]);
  });

  it('keeps an index at least as long as its longest-lived member', async () => {
    await store.addToIndex('index-b', 'm1', 60_000, 40);
    await store.addToIndex('index-c', 'm1', 40, 40);
    await store.addToIndex('index-c', 'm2', 200, 40); // extends the index to this member's expiry
    await store.addToIndex('index-c', 'm3', 40, 40); // and a shorter add does not cut it back
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.indexMembers('index-b')).toEqual(['m1']);
    expect(await store.indexMembers('index-c')).toEqual(['m2']);
  });

  it('keeps sets', async () => {
    await store.addToSet('sessions:alice', 's1', 60_000);
    await store.addToSet('sessions:alice', 's2', 60_000);
    expect((await store.setMembers('sessions:alice')).sort()).toEqual(['s1', 's2']);
  });
});

describe('redis state store when Redis goes away', () => {
  it('fails fast with StateUnavailableError and recovers without a restart', async () => {
    const redis = await startRedisServer();
    const store = new RedisStateStore({ url: redis.url, keyPrefix: 'x:' });
    for (let i = 0; i < 50 && !(await store.ping()); i++) await new Promise((r) => setTimeout(r, 20));
    expect((await store.consume('b', { limit: 1, periodMs: 1000 })).allowed).toBe(true);
    await redis.stop();
    const started = Date.now();
    await expect(store.consume('b', { limit: 1, periodMs: 1000 })).rejects.toBeInstanceOf(StateUnavailableError);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await store.ping()).toBe(false);
    await redis.start();
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      up = await store.ping();
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    expect(up).toBe(true);
    expect((await store.consume('fresh', { limit: 1, periodMs: 1000 })).allowed).toBe(true);
    await store.close();
    await redis.stop();
  }, 20_000);
});
