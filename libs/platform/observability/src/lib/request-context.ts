import { AsyncLocalStorage } from 'node:async_hooks';
import { childTraceparent, type TraceContext } from './trace-context';
import { REQUEST_ID_HEADER } from './request-id';
import { REQUEST_TIMEOUT_HEADER, remainingMs } from './deadline';

/**
 * Per-request context carried through AsyncLocalStorage (never request-scoped providers,
 * which rebuild provider graphs per request).
 */
export interface RequestContext {
  readonly requestId: string;
  readonly trace: TraceContext;
  /** Epoch ms by which the response must be complete. */
  readonly deadline: number;
  readonly startedAt: number;
  /** Aborted when the client goes away: outbound calls listen to it. */
  readonly signal: AbortSignal;
  /** Route template, once routing is known (for logs and metrics). */
  route?: string;
  /** Validated identity, once authentication ran (subject, tenant, client). */
  identity?: { sub: string; tenant?: string; clientId?: string };
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Headers that every outbound call made on behalf of the current request must carry. */
export function propagationHeaders(context = storage.getStore(), now = Date.now()): Record<string, string> {
  if (!context) return {};
  const headers: Record<string, string> = {
    traceparent: childTraceparent(context.trace),
    [REQUEST_ID_HEADER]: context.requestId,
    [REQUEST_TIMEOUT_HEADER]: String(remainingMs(context.deadline, now)),
  };
  if (context.trace.tracestate) headers['tracestate'] = context.trace.tracestate;
  return headers;
}
