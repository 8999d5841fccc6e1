import { MemoryStateStore, type StateStore } from '@edge/state';
import type { CacheEntry } from './cache-entry';
import { StateCacheStore } from './state-cache-store';

function entry(key: string, primaryKey: string): CacheEntry {
  return {
    key,
    primaryKey,
    url: '/catalog/bin',
    tags: ['catalog'],
    status: 200,
    headers: {},
    body: Buffer.from('x'),
    responseTime: Date.now(),
    initialAgeMs: 0,
    freshnessMs: 30_000,
    staleWhileRevalidateMs: 0,
    staleIfErrorMs: 0,
    mustRevalidate: false,
    noCache: false,
    vary: [],
  };
}

describe('StateCacheStore purge', () => {
  it.each([false, true])('counts entries by what each key holds now, whatever order the index lists them in (reversed: %s)', async (reversed) => {
    const memory = new MemoryStateStore();
    // Redis returns set members in hash order, not insertion order: try both.
    const state: StateStore = Object.assign(Object.create(memory) as StateStore, {
      setMembers: async (key: string) => {
        const members = await memory.setMembers(key);
        return reversed ? members.reverse() : members;
      },
    });
    const store = new StateCacheStore(state, 'shared', 60_000);
    // A varying response: a vary record at the primary key and the entry at its own key…
    await store.set('primary', { kind: 'vary', record: { vary: ['accept'], url: '/catalog/bin', tags: ['catalog'] } }, 60_000);
    await store.set('primary|accept=json', { kind: 'entry', entry: entry('primary|accept=json', 'primary') }, 60_000);
    // …then, after a purge elsewhere, a response that no longer varies is stored at the primary key.
    await store.set('primary', { kind: 'entry', entry: entry('primary', 'primary') }, 60_000);
    expect(await store.purge((_url, tags) => tags.includes('catalog'))).toBe(2);
    expect(await store.get('primary')).toBeUndefined();
    expect(await store.purge(() => true)).toBe(0);
    await memory.close();
  });
});
