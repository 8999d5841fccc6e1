interface Entry {
  value: unknown;
  at: number;
}

/**
 * The last good value of each stale-allowed part, per stale key, in a bounded LRU (one per
 * endpoint). Values are kept as they were answered: shape functions must not mutate them.
 */
export class LastGoodValues {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number) {}

  remember(key: string, value: unknown, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The value and its age, if one no older than `maxAgeMs` is known. */
  recall(key: string, maxAgeMs: number, now: number): { value: unknown; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const ageMs = now - entry.at;
    if (ageMs > maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }
}
