import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@edge/observability';

/** Edge policy metrics; labels are policy names and fixed outcomes from configuration, never keys. */
export const policyMetrics = {
  rateLimitDecisions: new Counter({
    name: 'gateway_ratelimit_decisions_total',
    help: 'Rate-limit and quota decisions by policy and result (allowed, limited)',
    labelNames: ['policy', 'result'] as const,
    registers: [metricsRegistry],
  }),
  rateLimitStoreFailures: new Counter({
    name: 'gateway_ratelimit_store_failures_total',
    help: 'Rate-limit store failures by policy and the mode applied (open: allowed uncounted, closed: 503)',
    labelNames: ['policy', 'mode'] as const,
    registers: [metricsRegistry],
  }),
  cacheLookups: new Counter({
    name: 'gateway_cache_lookups_total',
    help: 'Cache outcomes by policy: hit, miss, stale (served stale), revalidated, coalesced, bypass, error (stale-if-error)',
    labelNames: ['policy', 'result'] as const,
    registers: [metricsRegistry],
  }),
  cacheStores: new Counter({
    name: 'gateway_cache_stores_total',
    help: 'Responses offered to the cache by policy and result (stored, not-storable, too-large, failed)',
    labelNames: ['policy', 'result'] as const,
    registers: [metricsRegistry],
  }),
  cacheBytes: new Gauge({
    name: 'gateway_cache_bytes',
    help: 'Bytes held by in-memory cache stores, by policy',
    labelNames: ['policy'] as const,
    registers: [metricsRegistry],
  }),
  cacheEntries: new Gauge({
    name: 'gateway_cache_entries',
    help: 'Entries held by in-memory cache stores, by policy',
    labelNames: ['policy'] as const,
    registers: [metricsRegistry],
  }),
  cacheEvictions: new Counter({
    name: 'gateway_cache_evictions_total',
    help: 'Entries evicted to stay within maxTotalBytes, by policy',
    labelNames: ['policy'] as const,
    registers: [metricsRegistry],
  }),
};
