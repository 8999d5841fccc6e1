import type { CompiledRoute } from '@edge/gateway-config';
import { problem } from '@edge/problem-details';
import type { Exchange } from '../exchange';

/**
 * Allow/deny by the real client address (trusted proxies already resolved by the handler, so
 * X-Forwarded-For cannot choose it). CIDR sets match IPv4, IPv6 and IPv4-mapped IPv6.
 */
export function ipRulesStage(route: CompiledRoute): ((exchange: Exchange) => void) | null {
  const policy = route.ipRules;
  if (!policy) return null;
  return (exchange) => {
    if (!policy.allows(exchange.clientIp)) {
      exchange.notes['ipRule'] = policy.name;
      throw problem('ip-denied');
    }
  };
}
