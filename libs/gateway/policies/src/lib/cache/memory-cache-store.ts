import { policyMetrics } from '../metrics';
import { entrySize, type CacheRecord } from './cache-entry';
import type { CacheStore } from './cache-store';

interface Slot {
  readonly record: CacheRecord;
  readonly expiresAt: number;
  readonly size: number;
}

const recordSize = (key: string, record: CacheRecord): number =>
  record.kind === 'entry' ? entrySize(record.entry) : key.length + record.record.url.length + 128;

/**
 * In-process store bounded by bytes: a Map in recency order (a hit moves the entry to the
 * end), evicting the least recently used records until the total fits `maxTotalBytes`.
 */
export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory' as const;
  private readonly slots = new Map<string, Slot>();
  private bytes = 0;

  constructor(
    private readonly name: string,
    private readonly maxTotalBytes: number,
    private readonly now: () => number,
  ) {}

  get size(): { entries: number; bytes: number } {
    return { entries: this.slots.size, bytes: this.bytes };
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.remove(key, slot);
      return undefined;
    }
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.record;
  }

  async set(key: string, record: CacheRecord, retentionMs: number): Promise<void> {
    const size = recordSize(key, record);
    const existing = this.slots.get(key);
    if (existing) this.remove(key, existing);
    if (size > this.maxTotalBytes || retentionMs <= 0) return;
    this.slots.set(key, { record, expiresAt: this.now() + retentionMs, size });
    this.bytes += size;
    while (this.bytes > this.maxTotalBytes) {
      const [oldestKey, oldest] = this.slots.entries().next().value as [string, Slot];
      this.remove(oldestKey, oldest);
      policyMetrics.cacheEvictions.inc({ policy: this.name });
    }
    this.report();
  }

  async purge(match: (url: string, tags: readonly string[]) => boolean): Promise<number> {
    let removed = 0;
    for (const [key, slot] of this.slots) {
      const { url, tags } = slot.record.kind === 'entry' ? slot.record.entry : slot.record.record;
      if (!match(url, tags)) continue;
      this.remove(key, slot);
      if (slot.record.kind === 'entry') removed++;
    }
    this.report();
    return removed;
  }

  async close(): Promise<void> {
    this.slots.clear();
    this.bytes = 0;
    this.report();
  }

  private remove(key: string, slot: Slot): void {
    this.slots.delete(key);
    this.bytes -= slot.size;
  }

  private report(): void {
    policyMetrics.cacheBytes.set({ policy: this.name }, this.bytes);
    policyMetrics.cacheEntries.set({ policy: this.name }, this.slots.size);
  }
}
