/** Why a request went upstream (RFC 9211 §2.2 `fwd`). */
export type ForwardReason = 'bypass' | 'method' | 'miss' | 'vary-miss' | 'stale' | 'request';

/** The cache's name in `Cache-Status` (RFC 9211): the gateway is the edge. */
export const CACHE_NAME = 'edge';

export function hitStatus(ttlMs: number, detail?: string): string {
  return `${CACHE_NAME}; hit; ttl=${Math.trunc(ttlMs / 1000)}${detail ? `; detail=${detail}` : ''}`;
}

export function forwardStatus(fwd: ForwardReason, options: { fwdStatus?: number; stored?: boolean; ttlMs?: number; detail?: string } = {}): string {
  let value = `${CACHE_NAME}; fwd=${fwd}`;
  if (options.fwdStatus !== undefined) value += `; fwd-status=${options.fwdStatus}`;
  if (options.ttlMs !== undefined) value += `; ttl=${Math.trunc(options.ttlMs / 1000)}`;
  if (options.stored) value += '; stored';
  if (options.detail) value += `; detail=${options.detail}`;
  return value;
}
