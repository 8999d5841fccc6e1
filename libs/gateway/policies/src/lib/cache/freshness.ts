import type { CompiledCachePolicy } from '@edge/gateway-config';
import { deltaSeconds, type CacheDirectives } from '../http/cache-control';
import { headerValue, type HeaderInput } from '../http/header-values';
import { parseHttpDate } from '../http/http-date';

export interface Freshness {
  readonly freshnessMs: number;
  readonly initialAgeMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  readonly mustRevalidate: boolean;
  readonly noCache: boolean;
}

/**
 * Freshness of a response (RFC 9111 §4.2). A shared cache prefers s-maxage, then max-age,
 * then Expires − Date; without any, the policy's defaultTtlMs stands in for a heuristic. A
 * private-per-user policy keys entries by user and so behaves as a private cache: s-maxage
 * is ignored. Every lifetime is capped by maxTtlMs. The stale windows come from the response's
 * stale-while-revalidate / stale-if-error (RFC 5861), else from the policy.
 */
export function freshnessOf(directives: CacheDirectives, headers: HeaderInput, policy: CompiledCachePolicy, responseTime: number): Freshness {
  const shared = policy.scope !== 'private-per-user';
  const sMaxAge = shared ? deltaSeconds(directives, 's-maxage') : undefined;
  const maxAge = deltaSeconds(directives, 'max-age');
  const date = parseHttpDate(headerValue(headers, 'date'));
  let lifetime: number;
  if (sMaxAge !== undefined) lifetime = sMaxAge * 1000;
  else if (maxAge !== undefined) lifetime = maxAge * 1000;
  else if (headerValue(headers, 'expires') !== undefined) {
    const expires = parseHttpDate(headerValue(headers, 'expires'));
    lifetime = expires === undefined ? 0 : Math.max(0, expires - (date ?? responseTime));
  } else lifetime = policy.defaultTtlMs;
  const ageHeader = headerValue(headers, 'age');
  const ageValue = ageHeader !== undefined && /^\d+$/.test(ageHeader.trim()) ? Number(ageHeader.trim()) * 1000 : 0;
  const apparentAge = date !== undefined ? Math.max(0, responseTime - date) : 0;
  const swr = deltaSeconds(directives, 'stale-while-revalidate');
  const sie = deltaSeconds(directives, 'stale-if-error');
  return {
    freshnessMs: Math.min(lifetime, policy.maxTtlMs),
    initialAgeMs: Math.max(ageValue, apparentAge),
    staleWhileRevalidateMs: swr !== undefined ? swr * 1000 : policy.staleWhileRevalidateMs,
    staleIfErrorMs: sie !== undefined ? sie * 1000 : policy.staleIfErrorMs,
    mustRevalidate: directives.has('must-revalidate') || (shared && (directives.has('proxy-revalidate') || sMaxAge !== undefined)),
    noCache: directives.has('no-cache'),
  };
}
