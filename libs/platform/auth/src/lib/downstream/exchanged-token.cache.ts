interface Entry {
  token: string;
  /** Epoch ms from which the entry is no longer served (refresh margin already subtracted). */
  until: number;
}

/**
 * Bounded LRU of exchanged tokens. Keys are digests that include the subject token (the
 * provider builds them), so two users can never share an entry; values are served only
 * until shortly before they expire.
 */
export class ExchangedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (this.now() >= entry.until) return undefined;
    this.entries.set(key, entry);
    return entry.token;
  }

  set(key: string, token: string, until: number): void {
    this.entries.delete(key);
    if (until <= this.now()) return;
    this.entries.set(key, { token, until });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
