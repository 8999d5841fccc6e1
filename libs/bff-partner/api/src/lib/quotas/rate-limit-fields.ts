/**
 * RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers): Structured
 * Field Lists of Strings naming a policy, with q (quota) and w (window, s) for the policy and
 * r (remaining) and t (seconds until reset) for the current state.
 * (The gateway's policies lib has the same formatting; a shared util would let one serve both.)
 */
export interface LimitPolicy {
  readonly name: string;
  readonly quota: number;
  readonly windowSec: number;
}

export interface LimitState {
  readonly name: string;
  readonly remaining: number;
  readonly resetSec: number;
}

const int = (n: number): string => String(Math.max(0, Math.floor(n)));
const sfString = (s: string): string => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export function rateLimitPolicyField(policies: readonly LimitPolicy[]): string {
  return policies.map((p) => `${sfString(p.name)};q=${int(p.quota)};w=${int(p.windowSec)}`).join(', ');
}

export function rateLimitField(state: LimitState): string {
  return `${sfString(state.name)};r=${int(state.remaining)};t=${int(state.resetSec)}`;
}
