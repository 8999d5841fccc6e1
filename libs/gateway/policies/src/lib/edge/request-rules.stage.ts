import type { CompiledRoute } from '@edge/gateway-config';
import { problem } from '@edge/problem-details';
import type { Exchange } from '../exchange';

/**
 * WAF-style deny rules. The client learns only that a policy denied the request; which rule
 * and why goes to the access log (notes), never into the response.
 */
export function requestRulesStage(route: CompiledRoute): ((exchange: Exchange) => void) | null {
  const policy = route.requestRules;
  if (!policy) return null;
  return (exchange) => {
    const rule = policy.firstDenied({ method: exchange.method, path: exchange.path, rawQuery: exchange.query, headers: exchange.req.headers });
    if (rule) {
      exchange.notes['denyRule'] = `${policy.name}[${rule.index}]`;
      if (rule.reason) exchange.notes['denyReason'] = rule.reason;
      throw problem('request-denied');
    }
  };
}
