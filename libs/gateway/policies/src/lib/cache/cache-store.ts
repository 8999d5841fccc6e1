import type { CacheRecord } from './cache-entry';

/** Where a cache policy keeps its records: process memory (LRU by bytes) or the shared state store. */
export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<CacheRecord | undefined>;
  /** Keeps the record for `retentionMs` (freshness + stale windows), or less under memory pressure. */
  set(key: string, record: CacheRecord, retentionMs: number): Promise<void>;
  /** Removes matching entries (and their vary records); resolves to the number of entries removed. */
  purge(match: (url: string, tags: readonly string[]) => boolean): Promise<number>;
  close(): Promise<void>;
}
