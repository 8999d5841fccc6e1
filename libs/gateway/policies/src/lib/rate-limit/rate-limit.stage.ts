import type { CompiledRateLimitPolicy, CompiledRoute } from '@edge/gateway-config';
import { problem } from '@edge/problem-details';
import type { RateDecision, RateSpec, StateStore } from '@edge/state';
import type { Logger } from 'pino';
import type { Exchange } from '../exchange';
import { policyMetrics } from '../metrics';
import { addResponseHeader } from '../respond';
import { calendarPeriod, quotaSpec } from './quota-period';
import { closestToExhaustion, formatRateLimit, formatRateLimitPolicy, type LimitState, type QuotaItem } from '@edge/state';
import { clientBucket, keyBuilder } from './rate-limit-keys';

export interface RateLimitDeps {
  /** The store of a policy (memory or Redis), resolved once from its `store` setting. */
  storeFor(policy: CompiledRateLimitPolicy): StateStore;
  log: Logger;
  now: () => number;
}

/** One counted limit: a policy's short window or one of its calendar quotas. */
interface Limit {
  readonly name: string;
  readonly kind: 'window' | 'quota';
  /** Bucket name suffix, spec and the RateLimit `w`, for this moment. */
  at(now: number, cost: number): { bucket: string; spec: RateSpec; windowSec: number; periodEndMs: number | null };
  readonly quota: number;
}

interface PolicyPlan {
  readonly policy: CompiledRateLimitPolicy;
  readonly store: StateStore;
  readonly key: (exchange: Exchange) => string | undefined;
  readonly limits: readonly Limit[];
}

function limitsOf(policy: CompiledRateLimitPolicy): Limit[] {
  const limits: Limit[] = [];
  const w = policy.window;
  if (w) {
    limits.push({
      name: policy.name,
      kind: 'window',
      quota: w.limit,
      at: (_now, cost) => ({ bucket: 'w', spec: { limit: w.limit, periodMs: w.windowMs, cost }, windowSec: Math.ceil(w.windowMs / 1000), periodEndMs: null }),
    });
  }
  for (const q of policy.quotas) {
    limits.push({
      name: `${policy.name}/${q.period}`,
      kind: 'quota',
      quota: q.limit,
      at: (now, cost) => {
        const period = calendarPeriod(q.period, now);
        return { bucket: `${q.period}:${period.id}`, spec: quotaSpec(q.limit, period, cost), windowSec: Math.round(period.lengthMs / 1000), periodEndMs: period.endMs };
      },
    });
  }
  return limits;
}

/** A policy keyed by tenant alone is the broadest: counted last (see rateLimitStage). */
const broad = (p: CompiledRateLimitPolicy) => p.keyBy.every((k) => k === 'tenant');

interface Counted extends LimitState {
  readonly decision: RateDecision;
  readonly kind: 'window' | 'quota';
  readonly policy: string;
}

/**
 * Rate limits and quotas of a route. Policies are counted one after the other, narrowest
 * first (tenant-wide policies last), and counting stops at the first refusal, so requests a
 * user's own limit refuses never spend the tenant's shared bucket (one noisy user cannot
 * starve the rest of the tenant; one tenant never touches another's bucket, since bucket
 * names carry the policy name and the key values). A refused request spends nothing in the
 * refusing bucket (GCRA) but has spent in the narrower ones before it.
 *
 * Store failure, per policy: `open` lets the request through uncounted by that policy
 * (warning metric + log), `closed` answers 503 dependency-unavailable with Retry-After.
 */
export function rateLimitStage(route: CompiledRoute, deps: RateLimitDeps): ((exchange: Exchange) => Promise<void>) | null {
  if (route.rateLimits.length === 0) return null;
  const plans: PolicyPlan[] = [...route.rateLimits]
    .sort((a, b) => Number(broad(a)) - Number(broad(b)))
    .map((policy) => ({ policy, store: deps.storeFor(policy), key: keyBuilder(policy.keyBy), limits: limitsOf(policy) }));
  const cost = route.cost;
  const lastWarning = new Map<string, number>();

  const storeFailed = (plan: PolicyPlan, error: unknown, now: number) => {
    const mode = plan.policy.onStoreFailure;
    policyMetrics.rateLimitStoreFailures.inc({ policy: plan.policy.name, mode });
    if ((lastWarning.get(plan.policy.name) ?? -Infinity) + 10_000 <= now) {
      lastWarning.set(plan.policy.name, now);
      deps.log.warn({ policy: plan.policy.name, mode, err: error instanceof Error ? error.message : String(error) }, `rate-limit store unavailable: failing ${mode}`);
    }
    if (mode === 'closed') throw problem('dependency-unavailable', { detail: 'The rate-limit store is unavailable.', headers: { 'retry-after': '1' } });
  };

  return async (exchange) => {
    const now = deps.now();
    const applicable: { plan: PolicyPlan; key: string }[] = [];
    for (const plan of plans) {
      const key = plan.key(exchange);
      if (key !== undefined) applicable.push({ plan, key });
      else if (plan.policy.whenKeyMissing === 'limit-by-ip') applicable.push({ plan, key: `ip=${encodeURIComponent(clientBucket(exchange.clientIp))}` });
    }
    if (applicable.length === 0) return;
    const items: QuotaItem[] = [];
    for (const { plan } of applicable) for (const limit of plan.limits) items.push({ name: limit.name, quota: limit.quota, windowSec: limit.at(now, cost).windowSec });
    const policyHeader = formatRateLimitPolicy(items);
    addResponseHeader(exchange, 'ratelimit-policy', policyHeader);

    const counted: Counted[] = [];
    for (const { plan, key } of applicable) {
      for (const limit of plan.limits) {
        const at = limit.at(now, cost);
        let decision: RateDecision;
        try {
          decision = await plan.store.consume(`${plan.policy.name}:${at.bucket}:${key}`, at.spec);
        } catch (error) {
          storeFailed(plan, error, now);
          break; // open: this policy does not count this request
        }
        const resetSec = at.periodEndMs !== null ? Math.ceil((at.periodEndMs - now) / 1000) : Math.ceil((decision.allowed ? decision.resetMs : decision.retryAfterMs) / 1000);
        counted.push({ name: limit.name, remaining: decision.remaining, resetSec, decision, kind: limit.kind, policy: plan.policy.name });
        if (!decision.allowed) {
          policyMetrics.rateLimitDecisions.inc({ policy: plan.policy.name, result: 'limited' });
          const retryAfter = String(Math.max(1, resetSec));
          const state = formatRateLimit({ name: limit.name, remaining: 0, resetSec: Number(retryAfter) });
          addResponseHeader(exchange, 'ratelimit', state);
          exchange.notes['rateLimited'] = limit.name;
          throw problem(limit.kind === 'quota' ? 'quota-exceeded' : 'rate-limited', {
            detail: `${limit.kind === 'quota' ? 'Quota' : 'Rate limit'} "${limit.name}" exhausted; retry after ${retryAfter} s.`,
            headers: { 'retry-after': retryAfter, ratelimit: state, 'ratelimit-policy': policyHeader },
          });
        }
      }
    }
    for (const name of new Set(counted.map((c) => c.policy))) policyMetrics.rateLimitDecisions.inc({ policy: name, result: 'allowed' });
    const closest = closestToExhaustion(counted);
    if (closest) addResponseHeader(exchange, 'ratelimit', formatRateLimit(closest));
  };
}
