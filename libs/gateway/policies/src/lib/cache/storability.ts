import type { CompiledCachePolicy } from '@edge/gateway-config';
import type { CacheDirectives } from '../http/cache-control';
import { headerValue, splitList, type HeaderInput } from '../http/header-values';

export interface StorabilityInput {
  readonly policy: CompiledCachePolicy;
  readonly requestHeaders: HeaderInput;
  readonly status: number;
  readonly headers: HeaderInput;
  readonly directives: CacheDirectives;
  readonly maxEntryBytes: number;
}

/**
 * Why a response must not be stored (RFC 9111 §3 and the platform's rules), or null when it
 * may be. Never stored: no-store, `private` on a shared scope, Set-Cookie (someone's
 * session), partial aggregates, `Vary: *`, statuses the policy does not list, bodies declared
 * larger than an entry may be, and — for the anonymous `shared` scope — answers to requests
 * carrying Authorization unless the response says public, s-maxage or must-revalidate (§3.5).
 */
export function notStorableReason(input: StorabilityInput): string | null {
  const { policy, directives, headers } = input;
  if (directives.has('no-store')) return 'no-store';
  if (policy.scope !== 'private-per-user' && directives.has('private')) return 'private';
  if (headers['set-cookie'] !== undefined) return 'set-cookie';
  if (headerValue(headers, 'partial-response')?.trim().toLowerCase() === 'true') return 'partial';
  if (splitList(headerValue(headers, 'vary')).includes('*')) return 'vary-star';
  if (!policy.statuses.includes(input.status)) return 'status';
  const length = headerValue(headers, 'content-length');
  if (length !== undefined && Number(length) > input.maxEntryBytes) return 'too-large';
  if (
    policy.scope === 'shared' &&
    input.requestHeaders['authorization'] !== undefined &&
    !directives.has('public') &&
    !directives.has('s-maxage') &&
    !directives.has('must-revalidate')
  ) {
    return 'authorization';
  }
  return null;
}
