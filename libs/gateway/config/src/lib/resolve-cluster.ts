import { DEFAULTS } from './defaults';
import type { ClusterConfig, HttpMethod, RetryCondition } from './types/cluster-config.types';

const D = DEFAULTS.cluster;

export interface ResolvedRetries {
  /** Total attempts including the first; 1 = no retry. */
  readonly maxAttempts: number;
  readonly on: readonly RetryCondition[];
  readonly methods: readonly HttpMethod[];
  readonly backoff: { readonly baseMs: number; readonly maxMs: number; readonly jitter: 'full' | 'none' };
  readonly budget: { readonly ratio: number; readonly minPerSecond: number };
}

/** Retries with defaults applied; `kind: bff` defaults to no retry. */
export function resolveRetries(cluster: ClusterConfig): ResolvedRetries {
  const r = cluster.retries ?? {};
  return {
    maxAttempts: r.maxAttempts ?? (cluster.kind === 'bff' ? D.retries.bffMaxAttempts : D.retries.serviceMaxAttempts),
    on: r.on ?? D.retries.on,
    methods: r.methods ?? D.retries.methods,
    backoff: {
      baseMs: r.backoff?.baseMs ?? D.retries.backoff.baseMs,
      maxMs: r.backoff?.maxMs ?? D.retries.backoff.maxMs,
      jitter: r.backoff?.jitter ?? D.retries.backoff.jitter,
    },
    budget: { ratio: r.budget?.ratio ?? D.retries.budget.ratio, minPerSecond: r.budget?.minPerSecond ?? D.retries.budget.minPerSecond },
  };
}

/** A route's or part's `maxAttempts` lowers the cluster's, never raises it. */
export function capAttempts(retries: ResolvedRetries, cap: number | undefined): ResolvedRetries {
  return cap === undefined || cap >= retries.maxAttempts ? retries : { ...retries, maxAttempts: cap };
}

/** Backoff before retry n (1-based): min(max, base · 2^(n-1)); full jitter draws from [0, that]. */
export function backoffCeilingMs(retries: ResolvedRetries, retry: number): number {
  return Math.min(retries.backoff.maxMs, retries.backoff.baseMs * 2 ** (retry - 1));
}

/** The longest all attempts can take: maxAttempts × perTry + every backoff at its ceiling. */
export function worstCaseAttemptsMs(retries: ResolvedRetries, perTryMs: number): { totalMs: number; backoffMs: number } {
  let backoffMs = 0;
  for (let retry = 1; retry < retries.maxAttempts; retry++) backoffMs += backoffCeilingMs(retries, retry);
  return { totalMs: retries.maxAttempts * perTryMs + backoffMs, backoffMs };
}

/** undefined: no per-try timeout (an attempt may use the rest of the deadline). */
export function resolvePerTryMs(cluster: ClusterConfig): number | undefined {
  return cluster.timeouts?.perTryMs;
}
