import type { CompiledCachePolicy, CompiledGatewayConfig } from '@edge/gateway-config';
import type { StateStore } from '@edge/state';
import type { Logger } from 'pino';
import { Coalescer } from './coalescer';
import type { CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache-store';
import { StateCacheStore } from './state-cache-store';
import type { UpstreamFetch } from './upstream-fetch';

/** How long an entry with validators is kept past its stale windows, for cheap revalidation. */
export const REVALIDATION_WINDOW_MS = 300_000;

export interface EdgeCacheDeps {
  state: StateStore;
  log: Logger;
  now: () => number;
  fetchUpstream?: UpstreamFetch;
  /** The engine of the previous config version: unchanged in-memory stores are taken over. */
  previous?: EdgeCache;
}

interface StoreSlot {
  readonly store: CacheStore;
  readonly fingerprint: string;
  /** Another engine took it over: do not close it with this one. */
  handedOver: boolean;
}

/**
 * The cache of one config version: one store per cache policy (memory, bounded LRU; or the
 * shared state store when `store` is redis, or auto with REDIS_URL), per-process coalescing
 * and background refreshes, and the purge API the admin endpoint calls.
 */
export class EdgeCache {
  readonly coalescer = new Coalescer();
  private readonly refreshing = new Set<string>();
  private readonly slots = new Map<string, StoreSlot>();
  private purges = 0;
  private lastWarning = -Infinity;

  constructor(
    config: CompiledGatewayConfig,
    readonly deps: EdgeCacheDeps,
  ) {
    for (const policy of Object.values(config.policies.cache)) {
      const fingerprint = JSON.stringify(config.source.policies?.cache?.[policy.name] ?? null);
      const kind = policy.store === 'auto' ? deps.state.kind : policy.store;
      if (kind === 'redis' && deps.state.kind !== 'redis') throw new Error(`cache policy "${policy.name}" needs store redis, but REDIS_URL is not set`);
      let store: CacheStore;
      if (kind === 'redis') {
        const longest = policy.maxTtlMs + Math.max(policy.staleWhileRevalidateMs, policy.staleIfErrorMs, policy.maxTtlMs) + REVALIDATION_WINDOW_MS;
        store = new StateCacheStore(deps.state, policy.name, longest);
      } else {
        const previous = deps.previous?.takeOver(policy.name, fingerprint);
        store = previous ?? new MemoryCacheStore(policy.name, policy.maxTotalBytes, deps.now);
      }
      this.slots.set(policy.name, { store, fingerprint, handedOver: false });
    }
  }

  get canRefresh(): boolean {
    return this.deps.fetchUpstream !== undefined;
  }

  /** Bumped by every purge: a response that was in flight across a purge is not stored. */
  get purgeGeneration(): number {
    return this.purges;
  }

  storeFor(policy: CompiledCachePolicy): CacheStore {
    const slot = this.slots.get(policy.name);
    if (!slot) throw new Error(`no cache store for policy "${policy.name}"`);
    return slot.store;
  }

  private takeOver(name: string, fingerprint: string): CacheStore | undefined {
    const slot = this.slots.get(name);
    if (!slot || slot.handedOver || slot.fingerprint !== fingerprint || slot.store.kind !== 'memory') return undefined;
    slot.handedOver = true;
    return slot.store;
  }

  /** Runs `work` unless a refresh for `key` is already running (one background refresh per key). */
  refreshOnce(key: string, work: () => Promise<void>): void {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    void work()
      .catch((error: unknown) => this.warn('background cache refresh failed', error))
      .finally(() => this.refreshing.delete(key));
  }

  /** Store failures never fail a request: the cache is skipped (logged at most every 10 s). */
  warn(message: string, error: unknown): void {
    const now = this.deps.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, message);
  }

  /** Removes entries whose path (and query) starts with `prefix`, e.g. `/api/catalog/`. */
  purgePrefix(prefix: string): Promise<number> {
    return this.purge((url) => url.startsWith(prefix));
  }

  /** Removes entries carrying `tag` (policy tags and tags from the policy's tags header). */
  purgeTag(tag: string): Promise<number> {
    return this.purge((_url, tags) => tags.includes(tag));
  }

  private async purge(match: (url: string, tags: readonly string[]) => boolean): Promise<number> {
    this.purges++;
    const stores = new Set([...this.slots.values()].map((s) => s.store));
    let removed = 0;
    for (const store of stores) removed += await store.purge(match);
    return removed;
  }

  async close(): Promise<void> {
    for (const slot of this.slots.values()) if (!slot.handedOver) await slot.store.close();
  }
}
