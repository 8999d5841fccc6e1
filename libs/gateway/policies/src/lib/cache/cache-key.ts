import type { CompiledCachePolicy } from '@edge/gateway-config';
import type { Exchange } from '../exchange';
import { headerValue, type HeaderInput } from '../http/header-values';

/**
 * The primary cache key: route, method (HEAD is answered from GET entries), path, raw query,
 * and the identity the policy's scope requires — tenant for shared-per-tenant, tenant + user
 * for private-per-user, nothing for the anonymous `shared` scope. undefined when the scope
 * needs an identity the request does not have (e.g. API-key traffic): such requests bypass
 * the cache, so one caller's response can never be served to another.
 */
export function primaryKey(exchange: Exchange, policy: CompiledCachePolicy): string | undefined {
  const base: string[] = [exchange.route.id, 'GET', exchange.path, exchange.query];
  switch (policy.scope) {
    case 'shared':
      return JSON.stringify(base);
    case 'shared-per-tenant': {
      const tenant = exchange.identity?.tenant;
      return tenant ? JSON.stringify([...base, `t:${tenant}`]) : undefined;
    }
    case 'private-per-user': {
      const identity = exchange.identity;
      return identity ? JSON.stringify([...base, `t:${identity.tenant ?? ''}`, `u:${identity.sub}`]) : undefined;
    }
    default: {
      const never: never = policy.scope;
      throw new Error(`unknown cache scope ${String(never)}`);
    }
  }
}

/** Request header values a response varies on, normalised (case and spaces of lists ignored). */
function varyValue(headers: HeaderInput, name: string): string | null {
  const v = headerValue(headers, name);
  if (v === undefined) return null;
  return name === 'accept-encoding' ? v.toLowerCase().replace(/\s+/g, '') : v.trim().replace(/\s*,\s*/g, ',');
}

export function variantKey(primary: string, vary: readonly string[], requestHeaders: HeaderInput): string {
  return vary.length === 0 ? primary : `${primary}\n${JSON.stringify(vary.map((n) => varyValue(requestHeaders, n)))}`;
}

export function urlOf(exchange: Exchange): string {
  return exchange.query ? `${exchange.path}?${exchange.query}` : exchange.path;
}
