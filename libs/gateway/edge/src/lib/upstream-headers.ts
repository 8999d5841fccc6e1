import type { Identity } from '@edge/auth/verify';
import type { CompiledJwtAuthPolicy } from '@edge/gateway-config';
import { forwardedNode, type SanitizedRequest } from '@edge/gateway-proxy';
import { REQUEST_TIMEOUT_HEADER, childTraceparent, type TraceContext } from '@edge/observability';

export interface UpstreamHeaderInput {
  sanitized: SanitizedRequest;
  forwardedFor: string;
  clientIp: string;
  proto: 'http' | 'https';
  requestId: string;
  trace: TraceContext;
  deadline: number;
  identity: Identity | undefined;
  auth: CompiledJwtAuthPolicy | undefined;
}

/**
 * What the upstream receives besides the client's sanitised headers: forwarding
 * information, correlation, the remaining budget, and (optionally) identity headers that
 * only the gateway can set because client copies were stripped.
 */
export function upstreamHeaders(input: UpstreamHeaderInput, now = Date.now()): string[] {
  const { sanitized } = input;
  const headers = sanitized.headers;
  if (input.auth && !input.auth.forwardToken && sanitized.authorization !== undefined) {
    const i = headers.findIndex((h, k) => k % 2 === 0 && h.length === 13 && h.toLowerCase() === 'authorization');
    if (i >= 0) headers.splice(i, 2);
  }
  const host = sanitized.host ?? '';
  headers.push(
    'x-forwarded-for',
    input.forwardedFor,
    'x-forwarded-proto',
    input.proto,
    'x-forwarded-host',
    host,
    'forwarded',
    `for=${forwardedNode(input.clientIp)};proto=${input.proto}${host ? `;host="${host.replace(/"/g, '')}"` : ''}`,
    'x-request-id',
    input.requestId,
    'traceparent',
    childTraceparent(input.trace),
    REQUEST_TIMEOUT_HEADER,
    String(Math.max(0, input.deadline - now)),
  );
  if (input.trace.tracestate) headers.push('tracestate', input.trace.tracestate);
  const ids = input.auth?.identityHeaders;
  if (ids && input.identity) {
    if (ids.user) headers.push(ids.user, input.identity.sub);
    if (ids.tenant && input.identity.tenant) headers.push(ids.tenant, input.identity.tenant);
  }
  return headers;
}
