import type { CompiledCachePolicy, CompiledRoute } from '@edge/gateway-config';
import { problem } from '@edge/problem-details';
import type { Exchange, ResponseFilter, ResponseHead, UpstreamRequestFilter } from '../exchange';
import { deltaSeconds, parseCacheControl, type CacheDirectives } from '../http/cache-control';
import { isNotModified, NOT_MODIFIED_HEADERS } from '../http/conditional';
import { flatRemove, headerValue, splitList, type HeaderInput } from '../http/header-values';
import { policyMetrics } from '../metrics';
import { writeResponse } from '../respond';
import { replaceBody } from '../response/json-field-filter';
import type { ResponseState } from '../response/response-state';
import type { RouteTransforms } from '../response/route-transforms';
import { currentAgeMs, hasValidators, ttlMs, type CacheEntry, type CacheRecord } from './cache-entry';
import { primaryKey, urlOf, variantKey } from './cache-key';
import { forwardStatus, hitStatus, type ForwardReason } from './cache-status';
import type { CacheStore } from './cache-store';
import { CacheWriter } from './cache-writer';
import type { EdgeCache } from './edge-cache';
import { EntryBuilder, retentionOf } from './entry-builder';
import type { UpstreamFetchResult } from './upstream-fetch';

/** Statuses that let a stale entry answer instead (RFC 5861 §4). */
const ERROR_STATUSES = new Set([500, 502, 503, 504]);
const CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'if-range'];

/** The cache's view of one exchange, shared by its two response filters. */
export interface CacheContext {
  readonly fwd: ForwardReason;
  readonly primary: string | undefined;
  /** A stale entry being revalidated, or kept to answer errors (stale-if-error). */
  readonly entry: CacheEntry | undefined;
  /** Our validators replaced the client's on the forwarded request. */
  readonly revalidating: boolean;
  readonly storeAllowed: boolean;
  readonly state: ResponseState;
  /** Ends this exchange's coalescing leadership (idempotent). */
  release: () => void;
}

const noop = () => undefined;

function requestDirectives(headers: HeaderInput): CacheDirectives {
  const cc = headerValue(headers, 'cache-control');
  if (cc !== undefined) return parseCacheControl(cc);
  return /(^|,)\s*no-cache\s*(,|$)/i.test(headerValue(headers, 'pragma') ?? '') ? new Map([['no-cache', true]]) : new Map();
}

const isConditional = (headers: HeaderInput) => headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined;

/**
 * RFC 9111 shared cache of one route (opt-in by `route.cache`). In afterAuth, `lookup` answers
 * fresh hits (and stale ones the rules allow) itself, or returns the context its two response
 * filters use: `source` (before transforms) answers from the entry when a revalidation came
 * back 304 or the upstream failed within stale-if-error; `writer` (after transforms, before
 * compression) sets Cache-Status, strips the tags header and stores storable responses.
 */
export class RouteCache {
  private readonly policy: CompiledCachePolicy;
  private readonly store: CacheStore;
  private readonly entries: EntryBuilder;

  constructor(
    route: CompiledRoute,
    private readonly edge: EdgeCache,
    private readonly transforms: RouteTransforms | null,
    private readonly compression: ResponseFilter | null,
  ) {
    this.policy = route.cache as CompiledCachePolicy;
    this.store = edge.storeFor(this.policy);
    this.entries = new EntryBuilder(this.policy, transforms?.headers ?? null, edge.deps.now);
  }

  private get now(): number {
    return this.edge.deps.now();
  }

  private count(result: string): void {
    policyMetrics.cacheLookups.inc({ policy: this.policy.name, result });
  }

  private async read(key: string): Promise<CacheRecord | undefined> {
    try {
      return await this.store.get(key);
    } catch (error) {
      this.edge.warn('cache store unavailable: lookup skipped', error);
      return undefined;
    }
  }

  private async find(primary: string, headers: HeaderInput): Promise<{ entry?: CacheEntry; varyMiss: boolean }> {
    const record = await this.read(primary);
    if (!record) return { varyMiss: false };
    if (record.kind === 'entry') return { entry: record.entry, varyMiss: false };
    const variant = await this.read(variantKey(primary, record.record.vary, headers));
    return variant?.kind === 'entry' ? { entry: variant.entry, varyMiss: false } : { varyMiss: true };
  }

  private fresh(entry: CacheEntry, cc: CacheDirectives, now: number): boolean {
    const ttl = ttlMs(entry, now);
    if (ttl <= 0 || entry.noCache) return false;
    const maxAge = deltaSeconds(cc, 'max-age');
    if (maxAge !== undefined && currentAgeMs(entry, now) > maxAge * 1000) return false;
    const minFresh = deltaSeconds(cc, 'min-fresh');
    return minFresh === undefined || ttl >= minFresh * 1000;
  }

  /** The entry as a response head (Age, Cache-Status, Content-Length), or its 304 if the client's validators match. */
  private entryHead(exchange: Exchange, entry: CacheEntry, cacheStatus: string): { head: ResponseHead; body: Buffer } {
    const headers: Record<string, string | string[]> = { ...entry.headers, age: String(Math.floor(currentAgeMs(entry, this.now) / 1000)), 'cache-status': cacheStatus };
    if (entry.status === 200 && isNotModified(exchange.req.headers, headers)) {
      const kept: Record<string, string | string[]> = {};
      for (const name of NOT_MODIFIED_HEADERS) if (headers[name] !== undefined) kept[name] = headers[name] as string | string[];
      return { head: { status: 304, headers: kept }, body: Buffer.alloc(0) };
    }
    headers['content-length'] = String(entry.body.length);
    return { head: { status: entry.status, headers }, body: entry.body };
  }

  private serve(exchange: Exchange, entry: CacheEntry, cacheStatus: string, result: string): 'handled' {
    const { head, body } = this.entryHead(exchange, entry, cacheStatus);
    exchange.notes['cache'] = result;
    this.count(result);
    writeResponse(exchange, head, body, this.compression ? [this.compression] : []);
    return 'handled';
  }

  private context(fwd: ForwardReason, state: ResponseState, fields: Partial<CacheContext> = {}): CacheContext {
    return { fwd, primary: undefined, entry: undefined, revalidating: false, storeAllowed: false, state, release: noop, ...fields };
  }

  /**
   * Becomes the leader for the key (synchronously, so two misses cannot both lead), or waits
   * for the current leader and serves what it stored; falls back to forwarding without leading.
   */
  private async coalesce(exchange: Exchange, primary: string, cc: CacheDirectives): Promise<{ served: true } | { served: false; release: () => void }> {
    const release = this.edge.coalescer.lead(primary);
    if (release) {
      exchange.res.once('close', release);
      return { served: false, release };
    }
    await this.edge.coalescer.wait(primary, exchange.deadline - Date.now()); // real time, like the deadline
    const again = await this.find(primary, exchange.req.headers);
    if (again.entry && this.fresh(again.entry, cc, this.now)) {
      this.serve(exchange, again.entry, hitStatus(ttlMs(again.entry, this.now), 'coalesced'), 'coalesced');
      return { served: true };
    }
    return { served: false, release: noop };
  }

  async lookup(exchange: Exchange, state: ResponseState): Promise<CacheContext | 'handled'> {
    const headers = exchange.req.headers;
    if (exchange.method !== 'GET' && exchange.method !== 'HEAD') return this.context('method', state);
    const primary = primaryKey(exchange, this.policy);
    if (primary === undefined) {
      this.count('bypass');
      return this.context('bypass', state);
    }
    const isGet = exchange.method === 'GET';
    const cc = requestDirectives(headers);
    if (cc.has('no-store') || headers['range'] !== undefined) {
      this.count('bypass');
      return this.context('request', state);
    }
    if (cc.has('no-cache')) {
      this.count('miss');
      return this.context('request', state, { primary, storeAllowed: isGet });
    }
    const found = await this.find(primary, headers);
    const entry = found.entry;
    const now = this.now;
    if (!entry) {
      if (cc.has('only-if-cached')) throw problem('gateway-timeout', { detail: 'The response is not in the cache (only-if-cached).' });
      let release: () => void = noop;
      if (isGet && !isConditional(headers)) {
        const c = await this.coalesce(exchange, primary, cc);
        if (c.served) return 'handled';
        release = c.release;
      }
      this.count('miss');
      exchange.notes['cache'] = 'miss';
      return this.context(found.varyMiss ? 'vary-miss' : 'miss', state, { primary, storeAllowed: isGet, release });
    }
    if (this.fresh(entry, cc, now)) return this.serve(exchange, entry, hitStatus(ttlMs(entry, now)), 'hit');

    const staleBy = Math.max(0, -ttlMs(entry, now));
    const mayServeStale = !entry.mustRevalidate && !entry.noCache;
    const maxStale = cc.get('max-stale') === true ? Infinity : (deltaSeconds(cc, 'max-stale') ?? -1) * 1000;
    if (mayServeStale && ttlMs(entry, now) <= 0 && staleBy <= maxStale) return this.serve(exchange, entry, hitStatus(ttlMs(entry, now)), 'stale');
    if (mayServeStale && ttlMs(entry, now) <= 0 && staleBy <= entry.staleWhileRevalidateMs && isGet && this.edge.canRefresh) {
      this.refreshInBackground(exchange, entry);
      return this.serve(exchange, entry, hitStatus(ttlMs(entry, now), 'stale-while-revalidate'), 'stale');
    }
    if (cc.has('only-if-cached')) throw problem('gateway-timeout', { detail: 'The cached response is stale (only-if-cached).' });

    let release: () => void = noop;
    if (isGet && !isConditional(headers)) {
      const c = await this.coalesce(exchange, primary, cc);
      if (c.served) return 'handled';
      release = c.release;
    }
    const revalidating = isGet && hasValidators(entry.headers);
    if (revalidating) (exchange.upstreamRequestFilters ??= []).push(this.validators(entry));
    const usableOnError = mayServeStale && staleBy <= entry.staleIfErrorMs;
    const ctx = this.context('stale', state, { primary, entry: usableOnError || revalidating ? entry : undefined, revalidating, storeAllowed: isGet, release });
    if (usableOnError) {
      exchange.onUpstreamFailure = (status) => {
        if (!ERROR_STATUSES.has(status) || exchange.res.headersSent) return false;
        ctx.release();
        this.serve(exchange, entry, forwardStatus('stale', { fwdStatus: status, ttlMs: ttlMs(entry, this.now), detail: 'stale-if-error' }), 'error');
        return true;
      };
    }
    exchange.notes['cache'] = revalidating ? 'revalidate' : 'stale-miss';
    return ctx;
  }

  /** Our validators instead of the client's, so that a 304 speaks about our entry. */
  private validators(entry: CacheEntry): UpstreamRequestFilter {
    const etag = headerValue(entry.headers, 'etag');
    const lastModified = headerValue(entry.headers, 'last-modified');
    return (_exchange, list) => {
      for (const name of CONDITIONALS) flatRemove(list, name);
      if (etag !== undefined) list.push('if-none-match', etag);
      if (lastModified !== undefined) list.push('if-modified-since', lastModified);
    };
  }

  /** Head + body of an entry replacing the upstream's answer (after a 304, or on an error). */
  private replace(exchange: Exchange, head: ResponseHead, entry: CacheEntry, cacheStatus: string) {
    const served = this.entryHead(exchange, entry, cacheStatus);
    head.status = served.head.status;
    head.headers = served.head.headers;
    return replaceBody(exchange.method === 'HEAD' ? Buffer.alloc(0) : served.body);
  }

  /** Response filter, first in the chain. */
  source(ctx: CacheContext): ResponseFilter {
    return (exchange, head) => {
      const entry = ctx.entry;
      if (!entry) return undefined;
      if (ctx.revalidating && head.status === 304) {
        const refreshed = this.entries.refreshed(entry, head.headers);
        ctx.state.replaced = true;
        this.count('revalidated');
        exchange.notes['cache'] = 'revalidated';
        void this.save(refreshed, retentionOf(refreshed, true)).finally(ctx.release);
        return this.replace(exchange, head, refreshed, forwardStatus(ctx.fwd, { fwdStatus: 304, stored: true }));
      }
      if (ERROR_STATUSES.has(head.status) && !entry.mustRevalidate && !entry.noCache && -ttlMs(entry, this.now) <= entry.staleIfErrorMs) {
        ctx.state.replaced = true;
        ctx.release();
        this.count('error');
        exchange.notes['cache'] = 'stale-if-error';
        return this.replace(exchange, head, entry, forwardStatus(ctx.fwd, { fwdStatus: head.status, ttlMs: ttlMs(entry, this.now), detail: 'stale-if-error' }));
      }
      return undefined;
    };
  }

  /** Response filter after the transforms: Cache-Status, tags, and the entry writer. */
  writer(ctx: CacheContext): ResponseFilter {
    return (exchange, head) => {
      if (ctx.state.replaced) return undefined;
      const tagsHeader = this.policy.tagsHeader;
      const responseTags = tagsHeader ? splitList(headerValue(head.headers, tagsHeader)) : [];
      if (tagsHeader) delete head.headers[tagsHeader];
      const primary = ctx.primary;
      if (!ctx.storeAllowed || ctx.state.failed || primary === undefined) {
        head.headers['cache-status'] = forwardStatus(ctx.fwd);
        ctx.release();
        return undefined;
      }
      const now = this.now;
      const { freshness, validators, reason } = this.entries.assess(exchange.req.headers, head, now);
      if (reason) {
        head.headers['cache-status'] = forwardStatus(ctx.fwd, { detail: reason });
        policyMetrics.cacheStores.inc({ policy: this.policy.name, result: 'not-storable' });
        ctx.release();
        return undefined;
      }
      const generation = this.edge.purgeGeneration;
      const known = head.headers['content-length'] !== undefined;
      if (!head.deferred) head.headers['cache-status'] = forwardStatus(ctx.fwd, { stored: known });
      const url = urlOf(exchange);
      const requestHeaders = exchange.req.headers;
      return new CacheWriter(
        head,
        !head.deferred,
        this.policy.maxEntryBytes,
        (final) => {
          if (head.deferred) final.headers['cache-status'] = forwardStatus(ctx.fwd, { stored: !ctx.state.failed });
        },
        (body, headers, status) => {
          if (!body || ctx.state.failed || this.edge.purgeGeneration !== generation) {
            if (!body) policyMetrics.cacheStores.inc({ policy: this.policy.name, result: 'too-large' });
            ctx.release();
            return;
          }
          const entry = this.entries.build(primary, url, requestHeaders, status, headers, body, responseTags, freshness, now);
          void this.save(entry, retentionOf(freshness, validators)).finally(ctx.release);
        },
      );
    };
  }

  private async save(entry: CacheEntry, retentionMs: number): Promise<void> {
    try {
      if (entry.vary.length > 0) await this.store.set(entry.primaryKey, { kind: 'vary', record: { vary: entry.vary, url: entry.url, tags: entry.tags } }, retentionMs);
      await this.store.set(entry.key, { kind: 'entry', entry }, retentionMs);
      policyMetrics.cacheStores.inc({ policy: this.policy.name, result: 'stored' });
    } catch (error) {
      policyMetrics.cacheStores.inc({ policy: this.policy.name, result: 'failed' });
      this.edge.warn('cache store unavailable: response not stored', error);
    }
  }

  /** stale-while-revalidate: one background request per key refreshes the entry. */
  private refreshInBackground(exchange: Exchange, entry: CacheEntry): void {
    const fetch = this.edge.deps.fetchUpstream;
    if (!fetch) return;
    const validators = this.validators(entry);
    const generation = this.edge.purgeGeneration;
    this.edge.refreshOnce(entry.key, async () => {
      const result = await fetch(exchange, { editHeaders: (list) => validators(exchange, list), maxBodyBytes: this.policy.maxEntryBytes });
      if (this.edge.purgeGeneration !== generation) return;
      await this.storeFetched(exchange, entry, result);
    });
  }

  private async storeFetched(exchange: Exchange, entry: CacheEntry, result: UpstreamFetchResult): Promise<void> {
    if (result.status === 304) {
      const refreshed = this.entries.refreshed(entry, result.headers);
      return this.save(refreshed, retentionOf(refreshed, true));
    }
    if (!result.body) return;
    const head: ResponseHead = { status: result.status, headers: { ...result.headers } };
    const body = this.transforms ? this.transforms.buffered(exchange, head, result.body) : result.body;
    if (!body || body.length > this.policy.maxEntryBytes) return;
    const tagsHeader = this.policy.tagsHeader;
    const responseTags = tagsHeader ? splitList(headerValue(head.headers, tagsHeader)) : [];
    if (tagsHeader) delete head.headers[tagsHeader];
    delete head.headers['content-length'];
    const now = this.now;
    const { freshness, validators, reason } = this.entries.assess(exchange.req.headers, head, now);
    if (reason) return;
    const primary = entry.primaryKey;
    await this.save(this.entries.build(primary, entry.url, exchange.req.headers, head.status, head.headers, body, responseTags, freshness, now), retentionOf(freshness, validators));
  }
}
