import { MemoryStateStore, RedisStateStore, type StateStore } from '@edge/state';
import { startRedisServer, type RedisServer } from '@edge/testing';
import { isProblemException } from '@edge/problem-details';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';
import { idempotencyKeyOf } from './idempotency-key';

const created = (n: number): StoredResponse => ({ status: 201, headers: { location: `/orders/${n}` }, body: { id: n } });
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

let redis: RedisServer;
const opened: StateStore[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await redis.stop();
});

async function redisStore(prefix: string): Promise<StateStore> {
  const store = new RedisStateStore({ url: redis.url, keyPrefix: prefix });
  opened.push(store);
  while (!(await store.ping())) await later(10, undefined);
  return store;
}

let n = 0;
/**
 * Two IdempotencyStores over one state: two instances of the BFF. The memory adapter is one
 * instance by definition (its set-if-absent is atomic only within one IdempotencyStore's queue).
 */
const backends: { name: string; open(): Promise<[StateStore, StateStore]> }[] = [
  { name: 'memory', open: async () => { const s = new MemoryStateStore(); return [s, s]; } },
  { name: 'Redis', open: async () => { const prefix = `idem-test-${++n}:`; return [await redisStore(prefix), await redisStore(prefix)]; } },
];

describe.each(backends)('IdempotencyStore over $name', (backend) => {
  let a: IdempotencyStore;
  let b: IdempotencyStore;
  let stores: [StateStore, StateStore];
  let runs: number;
  const work = (ms = 0, response = created(1)) => async () => {
    runs++;
    return later(ms, response);
  };

  beforeEach(async () => {
    stores = await backend.open();
    a = new IdempotencyStore(stores[0], { ttlMs: 60_000 });
    b = stores[0] === stores[1] ? a : new IdempotencyStore(stores[1], { ttlMs: 60_000 });
    runs = 0;
  });

  it('runs once, then replays the stored response for the same key and fingerprint (on any instance)', async () => {
    expect(await a.execute('acme', 'k1', 'f', work())).toEqual({ response: created(1), replayed: false });
    expect(await a.execute('acme', 'k1', 'f', work(0, created(2)))).toEqual({ response: created(1), replayed: true });
    expect(await b.execute('acme', 'k1', 'f', work(0, created(3)))).toEqual({ response: created(1), replayed: true });
    expect(runs).toBe(1);
  });

  it('keeps scopes apart: the same key of another partner is another key', async () => {
    await a.execute('acme', 'k1', 'f', work());
    expect((await a.execute('globex', 'k1', 'f', work(0, created(2)))).replayed).toBe(false);
    expect(runs).toBe(2);
  });

  it('refuses the same key with another fingerprint with 422 idempotency-key-reused', async () => {
    await a.execute('acme', 'k1', 'f', work());
    const error = await b.execute('acme', 'k1', 'other', work()).catch((e: unknown) => e);
    expect(isProblemException(error) && error.code).toBe('idempotency-key-reused');
    expect(runs).toBe(1);
  });

  it('runs concurrent duplicates once, on one instance or two, and answers all alike', async () => {
    const results = await Promise.all([
      a.execute('acme', 'k2', 'f', work(100)),
      a.execute('acme', 'k2', 'f', work(100)),
      b.execute('acme', 'k2', 'f', work(100)),
      b.execute('acme', 'k2', 'f', work(100)),
    ]);
    expect(runs).toBe(1);
    expect(results.map((r) => r.response)).toEqual([created(1), created(1), created(1), created(1)]);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  });

  it('frees the key when the first run fails or answers non-2xx, so a retry runs again', async () => {
    await expect(a.execute('acme', 'k3', 'f', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await a.execute('acme', 'k3', 'f', work(0, { status: 400, headers: {}, body: {} }))).toMatchObject({ replayed: false, response: { status: 400 } });
    expect(await b.execute('acme', 'k3', 'f', work())).toMatchObject({ replayed: false, response: created(1) });
    expect(runs).toBe(2);
  });

  it('forgets a key after its TTL', async () => {
    const short = new IdempotencyStore(stores[0], { ttlMs: 150 });
    await short.execute('acme', 'k4', 'f', work());
    expect((await short.execute('acme', 'k4', 'f', work())).replayed).toBe(true);
    await later(250, undefined);
    expect((await short.execute('acme', 'k4', 'other-body', work())).replayed).toBe(false);
    expect(runs).toBe(2);
  });

  it('answers a duplicate 409 + Retry-After when the first outlasts its deadline, and frees a dead owner’s key after the lease', async () => {
    const leased = new IdempotencyStore(stores[0], { leaseMs: 300 });
    const other = new IdempotencyStore(stores[1], { leaseMs: 300 });
    let release: () => void = () => undefined;
    const first = leased.execute('acme', 'k5', 'f', () => new Promise<StoredResponse>((resolve) => (release = () => resolve(created(5)))));
    await later(20, undefined);
    const error = await other.execute('acme', 'k5', 'f', work(), { deadline: Date.now() + 100 }).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.code, error.headers['retry-after']]).toEqual(['conflict', '1']);
    // The owner never finished within its lease (as if it crashed): the key is free again.
    await later(350, undefined);
    expect(await other.execute('acme', 'k5', 'f', work(0, created(6)))).toEqual({ response: created(6), replayed: false });
    release();
    await first;
  });
});

describe('IdempotencyStore with the state store down', () => {
  it('fails closed with 503 dependency-unavailable', async () => {
    const down = await startRedisServer();
    const store = new RedisStateStore({ url: down.url });
    while (!(await store.ping())) await later(10, undefined);
    await down.stop();
    const error = await new IdempotencyStore(store).execute('acme', 'k', 'f', async () => created(1)).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.code, error.status]).toEqual(['dependency-unavailable', 503]);
    await store.close();
  });
});

describe('idempotencyKeyOf', () => {
  it('accepts tokens and sf-strings, refuses missing (428) and malformed (400) keys', () => {
    expect(idempotencyKeyOf('abc-123', 'POST /orders')).toBe('abc-123');
    expect(idempotencyKeyOf('"4b2f9a1e-1d2c"', 'POST /orders')).toBe('4b2f9a1e-1d2c');
    for (const missing of [undefined, '']) expect(() => idempotencyKeyOf(missing, 'POST /orders')).toThrow(expect.objectContaining({ code: 'precondition-required' }));
    for (const bad of ['"unbalanced', 'has space', 'x'.repeat(256), ['a', 'b'], 'é']) {
      expect(() => idempotencyKeyOf(bad, 'POST /orders')).toThrow(expect.objectContaining({ code: 'invalid-header' }));
    }
  });
});
