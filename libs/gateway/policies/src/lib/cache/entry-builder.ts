import type { CompiledCachePolicy } from '@edge/gateway-config';
import type { ResponseHead } from '../exchange';
import { parseCacheControl } from '../http/cache-control';
import { headerValue, splitList, type HeaderInput } from '../http/header-values';
import { hasValidators, type CacheEntry } from './cache-entry';
import { variantKey } from './cache-key';
import { REVALIDATION_WINDOW_MS } from './edge-cache';
import { freshnessOf, type Freshness } from './freshness';
import { notStorableReason } from './storability';

/** Never copied into an entry: recomputed when served, or not about the stored content. */
const UNSTORED = ['content-length', 'age', 'cache-status', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie'];

/** How long a record is kept: freshness, then its stale windows (or a revalidation window). */
export function retentionOf(f: Freshness, validators: boolean): number {
  const stale = f.mustRevalidate || f.noCache ? 0 : Math.max(f.staleWhileRevalidateMs, f.staleIfErrorMs);
  return f.freshnessMs + Math.max(stale, validators ? REVALIDATION_WINDOW_MS : 0);
}

/** Turns response heads into entries of one cache policy: storability, freshness, refreshes. */
export class EntryBuilder {
  constructor(
    private readonly policy: CompiledCachePolicy,
    /** The route's response header operations, applied to the headers of a 304 before merging. */
    private readonly headerOps: ((headers: Record<string, string | string[]>) => void) | null,
    private readonly now: () => number,
  ) {}

  /** RFC 9111 §4.3.4: the stored response takes the 304's header fields, and new freshness. */
  refreshed(entry: CacheEntry, notModified: Record<string, string | string[]>): CacheEntry {
    const fresh: Record<string, string | string[]> = { ...notModified };
    this.headerOps?.(fresh);
    const merged: Record<string, string | string[]> = { ...entry.headers };
    for (const [name, value] of Object.entries(fresh)) {
      if (!UNSTORED.includes(name) && name !== 'content-encoding' && name !== this.policy.tagsHeader) merged[name] = value;
    }
    const now = this.now();
    const freshness = this.boundWindows(freshnessOf(parseCacheControl(headerValue(merged, 'cache-control')), { ...merged, age: fresh['age'] }, this.policy, now));
    return { ...entry, headers: merged, responseTime: now, ...freshness };
  }

  /** Freshness of a response head and why it may not be stored (null: storable). */
  assess(requestHeaders: HeaderInput, head: ResponseHead, now: number): { freshness: Freshness; validators: boolean; reason: string | null } {
    const directives = parseCacheControl(headerValue(head.headers, 'cache-control'));
    const freshness = this.boundWindows(freshnessOf(directives, head.headers, this.policy, now));
    const validators = hasValidators(head.headers);
    const reason =
      notStorableReason({ policy: this.policy, requestHeaders, status: head.status, headers: head.headers, directives, maxEntryBytes: this.policy.maxEntryBytes }) ??
      (freshness.freshnessMs <= 0 && !validators ? 'no-freshness' : null);
    return { freshness, validators, reason };
  }

  /** Response stale windows never exceed the policy's maxTtlMs. */
  private boundWindows(f: Freshness): Freshness {
    return { ...f, staleWhileRevalidateMs: Math.min(f.staleWhileRevalidateMs, this.policy.maxTtlMs), staleIfErrorMs: Math.min(f.staleIfErrorMs, this.policy.maxTtlMs) };
  }

  build(
    primary: string,
    url: string,
    requestHeaders: HeaderInput,
    status: number,
    headers: Record<string, string | string[]>,
    body: Buffer,
    responseTags: readonly string[],
    freshness: Freshness,
    responseTime: number,
  ): CacheEntry {
    const stored: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (!UNSTORED.includes(name)) stored[name] = value;
    const vary = splitList(headerValue(stored, 'vary')).map((n) => n.toLowerCase());
    return {
      key: variantKey(primary, vary, requestHeaders),
      primaryKey: primary,
      url,
      tags: [...new Set([...this.policy.tags, ...responseTags])],
      status,
      headers: stored,
      body,
      responseTime,
      ...freshness,
      vary,
    };
  }
}
