import type { RateDecision, RateSpec } from './state-store';

/**
 * GCRA on a "theoretical arrival time" (TAT). Emission interval T = period / limit; a
 * request of cost c is allowed when TAT + c·T − now ≤ period (the bucket holds `limit`).
 * The same arithmetic runs in Redis (Lua) so both adapters decide identically.
 */
export function gcra(tat: number | undefined, now: number, spec: RateSpec, spend: boolean): { decision: RateDecision; newTat: number | undefined } {
  const cost = spec.cost ?? 1;
  const interval = spec.periodMs / spec.limit;
  const base = Math.max(tat ?? now, now);
  const next = base + cost * interval;
  const allowAt = next - spec.periodMs;
  if (cost > spec.limit || allowAt > now) {
    return {
      decision: {
        allowed: false,
        limit: spec.limit,
        remaining: Math.max(0, Math.floor((spec.periodMs - (base - now)) / interval)),
        resetMs: Math.ceil(base - now),
        retryAfterMs: cost > spec.limit ? spec.periodMs : Math.ceil(allowAt - now),
      },
      newTat: undefined,
    };
  }
  const after = spend ? next : base;
  return {
    decision: {
      allowed: true,
      limit: spec.limit,
      remaining: Math.max(0, Math.floor((spec.periodMs - (after - now)) / interval)),
      resetMs: Math.ceil(after - now),
      retryAfterMs: 0,
    },
    newTat: spend ? next : undefined,
  };
}
