import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';
import { problem } from '@edge/problem-details';
import { closestToExhaustion, formatRateLimit, formatRateLimitPolicy, STATE_STORE, type LimitState, type RateDecision, type StateStore } from '@edge/state';
import { callerScope, type PartnerCaller } from '../auth/partner-caller';
import { PARTNER_SETTINGS } from '../settings/partner-settings.token';
import type { PartnerSettings } from '../settings/partner-settings';

export interface QuotaVerdict {
  /** Response headers for every answer (RateLimit-Policy, RateLimit). */
  headers: Record<string, string>;
}

const decisions = new Counter({
  name: 'partner_quota_decisions_total',
  help: 'Partner requests counted by the partner limits, by limit and result',
  labelNames: ['limit', 'result'] as const,
  registers: [metricsRegistry],
});

interface Limit {
  readonly name: 'partner' | 'partner-quota';
  readonly kind: 'rate' | 'quota';
  readonly quota: number;
  readonly windowMs: number;
}

/**
 * Per-partner limits on the state port's GCRA (no algorithm of our own): a rate limit over a
 * sliding window, then a quota per period. A period-aligned quota is a GCRA bucket of `limit`
 * units refilled by one unit per period, keyed by the period's number: exactly `limit` per
 * period (1d periods start at 00:00 UTC). Buckets live in Redis with REDIS_URL, so every
 * instance counts against the same numbers. A request the rate limit refuses spends no quota.
 * The state store being down fails open (logged, counted): partners keep working, the
 * gateway's own limits still apply.
 */
@Injectable()
export class PartnerQuotas {
  private readonly logger = new Logger('PartnerQuotas');
  private lastWarning = 0;
  /** The clock (replaceable in tests). */
  protected now: () => number = Date.now;

  constructor(
    @Inject(STATE_STORE) private readonly store: StateStore,
    @Inject(PARTNER_SETTINGS) private readonly settings: PartnerSettings,
  ) {}

  limitsOf(partner: string): readonly Limit[] {
    const own = this.settings.limits.get(partner) ?? {};
    return [
      { name: 'partner', kind: 'rate', quota: own.rate ?? this.settings.PARTNER_RATE_LIMIT, windowMs: this.settings.PARTNER_RATE_WINDOW },
      { name: 'partner-quota', kind: 'quota', quota: own.quota ?? this.settings.PARTNER_QUOTA, windowMs: this.settings.PARTNER_QUOTA_PERIOD },
    ];
  }

  /** Counts the request; throws 429 (rate-limited or quota-exceeded) with Retry-After when a limit is spent. */
  async consume(caller: PartnerCaller): Promise<QuotaVerdict> {
    const limits = this.limitsOf(caller.clientId);
    const policy = formatRateLimitPolicy(limits.map((l) => ({ name: l.name, quota: l.quota, windowSec: Math.ceil(l.windowMs / 1000) })));
    const states: LimitState[] = [];
    const now = this.now();
    for (const limit of limits) {
      const counted = await this.count(caller, limit, now);
      if (counted === undefined) continue;
      const { decision, resetSec } = counted;
      if (!decision.allowed) {
        decisions.inc({ limit: limit.name, result: 'refused' });
        const retryAfter = String(Math.max(1, limit.kind === 'quota' ? resetSec : Math.ceil(decision.retryAfterMs / 1000)));
        const state = formatRateLimit({ name: limit.name, remaining: 0, resetSec: Number(retryAfter) });
        throw problem(limit.kind === 'quota' ? 'quota-exceeded' : 'rate-limited', {
          detail:
            limit.kind === 'quota'
              ? `The quota of ${limit.quota} requests per ${Math.round(limit.windowMs / 1000)} s is used up; it resets in ${retryAfter} s.`
              : `More than ${limit.quota} requests per ${Math.round(limit.windowMs / 1000)} s; retry after ${retryAfter} s.`,
          headers: { 'retry-after': retryAfter, 'ratelimit-policy': policy, ratelimit: state },
        });
      }
      decisions.inc({ limit: limit.name, result: 'allowed' });
      states.push({ name: limit.name, remaining: decision.remaining, resetSec });
    }
    const headers: Record<string, string> = { 'ratelimit-policy': policy };
    const closest = closestToExhaustion<LimitState>(states);
    if (closest) headers['ratelimit'] = formatRateLimit(closest);
    return { headers };
  }

  private async count(caller: PartnerCaller, limit: Limit, now: number): Promise<{ decision: RateDecision; resetSec: number } | undefined> {
    const scope = callerScope(caller);
    try {
      if (limit.kind === 'rate') {
        const decision = await this.store.consume(`limit:${limit.name}:${scope}`, { limit: limit.quota, periodMs: limit.windowMs });
        return { decision, resetSec: Math.ceil(decision.resetMs / 1000) };
      }
      const period = Math.floor(now / limit.windowMs);
      const decision = await this.store.consume(`limit:${limit.name}:${period}:${scope}`, { limit: limit.quota, periodMs: limit.quota * limit.windowMs });
      return { decision, resetSec: Math.ceil(((period + 1) * limit.windowMs - now) / 1000) };
    } catch (error) {
      decisions.inc({ limit: limit.name, result: 'store-unavailable' });
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'partner limits not counted: state store unavailable (failing open)');
      }
      return undefined;
    }
  }
}
