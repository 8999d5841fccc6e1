/**
 * RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers (-09/-10):
 * Structured Field Lists whose items are Strings naming the quota policy, with Integer
 * parameters q (quota), w (window, seconds) for the policy and r (remaining), t (seconds until
 * reset) for the current state.
 */
export interface QuotaItem {
  /** Policy name, e.g. `per-user` (window) or `per-user/day` (calendar quota). */
  readonly name: string;
  readonly quota: number;
  readonly windowSec: number;
}

export interface LimitState {
  readonly name: string;
  readonly remaining: number;
  readonly resetSec: number;
}

/** sf-string: printable ASCII with `"` and `\` escaped; anything else cannot be sent. */
export function sfString(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, '?').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const sfInteger = (n: number): string => String(Math.max(0, Math.min(999_999_999_999_999, Math.floor(n))));

export function formatRateLimitPolicy(items: readonly QuotaItem[]): string {
  return items.map((i) => `${sfString(i.name)};q=${sfInteger(i.quota)};w=${sfInteger(i.windowSec)}`).join(', ');
}

export function formatRateLimit(state: LimitState): string {
  return `${sfString(state.name)};r=${sfInteger(state.remaining)};t=${sfInteger(state.resetSec)}`;
}

/** The draft: report the limit with the lowest remaining units (ties: the later reset). */
export function closestToExhaustion<T extends LimitState>(states: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const s of states) {
    if (!best || s.remaining < best.remaining || (s.remaining === best.remaining && s.resetSec > best.resetSec)) best = s;
  }
  return best;
}
