import { createHash } from 'node:crypto';
import type { StateStore } from '@edge/state';
import type { CacheEntry, CacheRecord } from './cache-entry';
import type { CacheStore } from './cache-store';

type Serialized = { kind: 'entry'; entry: Omit<CacheEntry, 'body'> & { body: string } } | Extract<CacheRecord, { kind: 'vary' }>;

/**
 * Cache records in the shared state store (Redis when REDIS_URL is set), so every gateway
 * instance serves and purges the same entries. Bodies travel base64 in JSON (entries are
 * bounded by maxEntryBytes); Redis expires records after their retention. Purging needs an
 * index of `[record key, url, tags, kind]` per policy; its members expire with their records,
 * so it holds what is cached, not everything that ever was.
 */
export class StateCacheStore implements CacheStore {
  readonly kind = 'redis' as const;
  private readonly indexKey: string;
  /** The index of earlier versions: a plain set with one TTL. Purge reads it, then folds it into the index. */
  private readonly legacyIndexKey: string;

  constructor(
    private readonly state: StateStore,
    private readonly name: string,
    private readonly indexTtlMs: number,
  ) {
    this.indexKey = `cache:${name}:entries`;
    this.legacyIndexKey = `cache:${name}:index`;
  }

  private recordKey(key: string): string {
    return `cache:${this.name}:${createHash('sha256').update(key).digest('base64url')}`;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const text = await this.state.get(this.recordKey(key));
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as Serialized;
    if (parsed.kind === 'vary') return parsed;
    return { kind: 'entry', entry: { ...parsed.entry, body: Buffer.from(parsed.entry.body, 'base64') } };
  }

  async set(key: string, record: CacheRecord, retentionMs: number): Promise<void> {
    if (retentionMs <= 0) return;
    const recordKey = this.recordKey(key);
    const serialized: Serialized = record.kind === 'vary' ? record : { kind: 'entry', entry: { ...record.entry, body: record.entry.body.toString('base64') } };
    const { url, tags } = record.kind === 'entry' ? record.entry : record.record;
    await this.state.set(recordKey, JSON.stringify(serialized), retentionMs);
    await this.state.addToIndex(this.indexKey, JSON.stringify([recordKey, url, tags, record.kind]), retentionMs, this.indexTtlMs);
  }

  async purge(match: (url: string, tags: readonly string[]) => boolean): Promise<number> {
    const indexed = await this.state.indexMembers(this.indexKey);
    const legacy = await this.state.setMembers(this.legacyIndexKey);
    // A key can be listed twice (a primary key that held a vary record, then an entry once the
    // response stopped varying), in whatever order the store returns members; so what is
    // counted is what the key holds now, not the kind the index remembered.
    const targets = new Set<string>();
    const matched: string[] = [];
    for (const m of [...indexed, ...legacy]) {
      const [recordKey, url, tags] = JSON.parse(m) as [string, string, string[], 'entry' | 'vary'];
      if (!match(url, tags)) continue;
      targets.add(recordKey);
      matched.push(m);
    }
    let removed = 0;
    for (const recordKey of targets) {
      const text = await this.state.get(recordKey);
      if (text !== undefined && (JSON.parse(text) as Serialized).kind === 'entry') removed++;
      await this.state.delete(recordKey);
    }
    await this.state.removeFromIndex(this.indexKey, matched);
    if (legacy.length > 0) {
      // Entries an earlier version indexed and this purge kept stay purgeable: they move to the
      // index with the longest retention (their own is not known), and the old set goes.
      const kept = new Set(matched);
      for (const m of legacy) if (!kept.has(m)) await this.state.addToIndex(this.indexKey, m, this.indexTtlMs, this.indexTtlMs);
      await this.state.delete(this.legacyIndexKey);
    }
    return removed;
  }

  async close(): Promise<void> {
    // The state store is shared and owned by the caller.
  }
}
