import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, isRecord, policiesOf } from './config-view';

/** A rate limit policy limits something: a short window, long quotas, or both. */
export function checkRateLimits(config: GatewayConfigFile, problems: ProblemList): void {
  for (const [name, policy] of policiesOf(config, 'rateLimits')) {
    const at = ['policies', 'rateLimits', name] as const;
    const quotas = asArray<{ period?: unknown }>(policy.quotas);
    if (policy.limit === undefined && quotas.length === 0) problems.add([...at], 'needs limit + windowMs, quotas, or both');
    const periods = quotas.map((q) => (isRecord(q) ? q.period : undefined));
    periods.forEach((period, j) => {
      if (period !== undefined && periods.indexOf(period) !== j) problems.add([...at, 'quotas', j, 'period'], `a second ${String(period)} quota: keep one per period`);
    });
  }
}
