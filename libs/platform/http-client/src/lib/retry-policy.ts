import type { UpstreamError } from './upstream-error';

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/** A request may be sent twice only if doing so cannot do the work twice. */
export function isRetryableRequest(method: string, hasIdempotencyKey: boolean): boolean {
  return hasIdempotencyKey || IDEMPOTENT_METHODS.has(method);
}

/**
 * Failures worth another attempt: the connection could not be made or broke, or the
 * upstream said it is momentarily unable (502/503/504). Never a 4xx (it will say the same
 * again), never our deadline (no budget left), never our own breaker or bulkhead.
 */
export function isTransientFailure(error: UpstreamError): boolean {
  switch (error.kind) {
    case 'connect':
    case 'reset':
      return true;
    case 'status':
      return error.upstream !== undefined && TRANSIENT_STATUSES.has(error.upstream.status);
    default:
      return false;
  }
}

/** "Full jitter" exponential backoff: random in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
