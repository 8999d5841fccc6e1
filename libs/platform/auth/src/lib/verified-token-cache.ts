import type { Identity } from './identity';

interface Entry {
  /** The whole token: a hit must match it exactly, not just the key. */
  token: string;
  identity: Identity;
  /** Epoch ms after which the entry must not be served. */
  until: number;
  /** When the entry last moved to the most recent end. */
  touched: number;
}

/**
 * A hit moves its entry to the most recent end at most this often: a Map delete + set on
 * every request churns the Map's table (garbage on the hot path) for an ordering that only
 * matters when the cache is full.
 */
const RECENCY_REFRESH_MS = 1000;

/** Characters of the token's end that key the cache (see keyOf). */
const KEY_CHARS = 32;

/**
 * Bounded LRU of tokens that already passed full verification. An entry is never served at
 * or after the token's `exp`, nor after `maxTtlMs` (which bounds how long a key removed from
 * the JWKS keeps working for tokens already seen).
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The token's last characters: its signature's, which differ between any two tokens. The
   * header's string is new on every request, so a Map keyed by the whole token hashed ≈ 800
   * characters per lookup (≈ 2 µs); a hit still compares the whole token (a memcmp). Two
   * tokens sharing an end take turns in one slot; only a verified token is ever stored, so a
   * forged token with a cached token's end is a miss, verified in full, and rejected.
   */
  static keyOf(token: string): string {
    return token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token;
  }

  get(token: string): Identity | undefined {
    const key = VerifiedTokenCache.keyOf(token);
    const entry = this.entries.get(key);
    if (!entry || entry.token !== token) return undefined;
    const now = this.now();
    if (now >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    if (now - entry.touched >= RECENCY_REFRESH_MS) {
      entry.touched = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.identity;
  }

  set(token: string, identity: Identity): void {
    const now = this.now();
    const until = Math.min(identity.expiresAt, now + this.maxTtlMs);
    if (until <= now) return;
    const key = VerifiedTokenCache.keyOf(token);
    this.entries.delete(key);
    this.entries.set(key, { token, identity, until, touched: now });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
