import { createHash } from 'node:crypto';
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
      indexMembers: async (key: string) => {
        const members = await memory.indexMembers(key);
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

  it('indexes what is cached, not everything that ever was: members leave with their records and with a purge', async () => {
    const state = new MemoryStateStore();
    const store = new StateCacheStore(state, 'idx', 60_000);
    await store.set('short', { kind: 'entry', entry: entry('short', 'short') }, 40);
    await store.set('long', { kind: 'entry', entry: { ...entry('long', 'long'), tags: ['other'] } }, 60_000);
    await store.set('gone', { kind: 'entry', entry: { ...entry('gone', 'gone'), tags: ['gone'] } }, 60_000);
    expect(await state.indexMembers('cache:idx:entries')).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 80));
    expect(await store.purge((_url, tags) => tags.includes('gone'))).toBe(1);
    // The expired record's member went with it; the purged one went with the purge.
    const left = (await state.indexMembers('cache:idx:entries')).map((m) => (JSON.parse(m) as string[])[2]);
    expect(left).toEqual([['other']]);
    await state.close();
  });

  it('purges what an earlier version indexed in its set, and keeps the rest purgeable', async () => {
    const state = new MemoryStateStore();
    const store = new StateCacheStore(state, 'old', 60_000);
    // Two entries as an earlier version stored them: the record, and a member of a plain set.
    for (const [key, tags] of [['a', ['catalog']], ['b', ['other']]] as const) {
      const recordKey = `cache:old:${createHash('sha256').update(key).digest('base64url')}`;
      await state.set(recordKey, JSON.stringify({ kind: 'entry', entry: { ...entry(key, key), tags, body: 'eA==' } }), 60_000);
      await state.addToSet('cache:old:index', JSON.stringify([recordKey, '/catalog/bin', tags, 'entry']), 60_000);
    }
    expect(await store.purge((_url, tags) => tags.includes('catalog'))).toBe(1);
    expect(await store.get('a')).toBeUndefined();
    expect(await state.setMembers('cache:old:index')).toEqual([]);
    expect(await store.purge((_url, tags) => tags.includes('other'))).toBe(1);
    expect(await store.get('b')).toBeUndefined();
    await state.close();
  });
});
