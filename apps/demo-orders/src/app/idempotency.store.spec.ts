import { isProblemException } from '@edge/problem-details';
import { IdempotencyStore, type StoredResponse } from './idempotency.store';

const created = (id: string): StoredResponse => ({ status: 201, headers: { location: `/orders/${id}` }, body: { id } });

describe('IdempotencyStore', () => {
  let clock = 0;
  let store: IdempotencyStore;
  beforeEach(() => {
    clock = 1_000_000;
    store = new IdempotencyStore({ ttlMs: 60_000, maxEntries: 100, now: () => clock });
  });

  it('runs once and replays the stored response for the same fingerprint', async () => {
    let runs = 0;
    const work = async () => created(`o${++runs}`);
    expect(await store.execute('k', 'f', work)).toEqual({ response: created('o1'), replayed: false });
    expect(await store.execute('k', 'f', work)).toEqual({ response: created('o1'), replayed: true });
    expect(runs).toBe(1);
  });

  it('refuses the same key with a different request (422)', async () => {
    await store.execute('k', 'f', async () => created('o1'));
    const error = await store.execute('k', 'other', async () => created('o2')).catch((e: unknown) => e);
    expect(isProblemException(error) && [error.status, error.code]).toEqual([422, 'idempotency-key-reused']);
  });

  it('makes concurrent duplicates wait for the first and share its outcome', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = async () => {
      runs++;
      await gate;
      return created('only');
    };
    const all = Promise.all([store.execute('k', 'f', work), store.execute('k', 'f', work), store.execute('k', 'f', work)]);
    release();
    const results = await all;
    expect(runs).toBe(1);
    expect(results.map((r) => r.replayed)).toEqual([false, true, true]);
    expect(new Set(results.map((r) => (r.response.body as { id: string }).id))).toEqual(new Set(['only']));
  });

  it('stores nothing when the first attempt fails, so a retry runs again', async () => {
    await expect(
      store.execute('k', 'f', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.execute('k', 'f', async () => created('o2'))).toEqual({ response: created('o2'), replayed: false });
  });

  it('forgets keys after the TTL and stays bounded', async () => {
    await store.execute('k', 'f', async () => created('o1'));
    clock += 60_001;
    expect((await store.execute('k', 'f', async () => created('o2'))).replayed).toBe(false);
    const small = new IdempotencyStore({ ttlMs: 60_000, maxEntries: 3, now: () => clock });
    for (let i = 0; i < 10; i++) await small.execute(`k${i}`, 'f', async () => created(`o${i}`));
    expect(small.size).toBeLessThanOrEqual(4);
    expect((await small.execute('k9', 'f', async () => created('again'))).replayed).toBe(true);
  });
});
