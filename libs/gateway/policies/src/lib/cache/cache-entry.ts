/** A stored response (after response transforms, before compression) and its freshness facts. */
export interface CacheEntry {
  /** Primary key + the varied request header values. */
  readonly key: string;
  readonly primaryKey: string;
  /** Path and query (`/api/catalog/items?page=2`): what purge prefixes match. */
  readonly url: string;
  readonly tags: readonly string[];
  readonly status: number;
  /** Without Content-Length, Age, Cache-Status and the policy's tags header: added when served. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
  /** Epoch ms when the response (or the 304 that refreshed it) arrived. */
  readonly responseTime: number;
  /** Age it already had then (Age header or Date, RFC 9111 §4.2.3). */
  readonly initialAgeMs: number;
  readonly freshnessMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  /** must-revalidate / proxy-revalidate (and s-maxage on shared caches): never served stale. */
  readonly mustRevalidate: boolean;
  /** Response `no-cache`: stored, but validated before every use. */
  readonly noCache: boolean;
  /** Lower-case request header names the response varies on. */
  readonly vary: readonly string[];
}

/** Where a primary key's responses vary: their entries live under variant keys. */
export interface VaryRecord {
  readonly vary: readonly string[];
  readonly url: string;
  readonly tags: readonly string[];
}

export type CacheRecord = { readonly kind: 'entry'; readonly entry: CacheEntry } | { readonly kind: 'vary'; readonly record: VaryRecord };

export const currentAgeMs = (entry: CacheEntry, now: number): number => entry.initialAgeMs + Math.max(0, now - entry.responseTime);

/** Remaining freshness (negative: stale by that much). */
export const ttlMs = (entry: CacheEntry, now: number): number => entry.freshnessMs - currentAgeMs(entry, now);

export const hasValidators = (headers: Readonly<Record<string, string | string[]>>): boolean => headers['etag'] !== undefined || headers['last-modified'] !== undefined;

/** Approximate bytes an entry holds in memory (body + header text + keys). */
export function entrySize(entry: CacheEntry): number {
  let size = entry.body.length + entry.key.length + entry.url.length + 256;
  for (const [name, value] of Object.entries(entry.headers)) size += name.length + (typeof value === 'string' ? value.length : value.join('').length) + 4;
  return size;
}
