import type { FastifyInstance } from 'fastify';
import { inboundDeadline } from './deadline';
import { observeHttpRequest } from './metrics';
import { recordServerSpan, tracingEnabled } from './spans';
import { runWithRequestContext, type RequestContext } from './request-context';
import { REQUEST_ID_HEADER } from './request-id';
import { formatTraceparent, traceContextFrom, type TraceContext } from './trace-context';

declare module 'fastify' {
  interface FastifyRequest {
    edgeContext?: RequestContext;
  }
}

export interface RequestContextOptions {
  /** The longest an inbound request may take here (a caller may ask for less). */
  maxBudgetMs: number;
}

/**
 * Opens the request context for every request: request id (already chosen by Fastify's
 * genReqId), W3C trace context, deadline and an abort signal for client disconnects; and
 * records the request's metrics when the response is done. Echoes X-Request-Id and
 * traceresponse so clients can quote them.
 */
/** What a request context needs of the response: whether it closed before it finished. */
export interface ContextResponse {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
}

/**
 * A request context whose abort signal is made when first asked for: most requests never
 * need one (the gateway's proxy path watches its response directly), and an AbortController
 * with its listener costs on every request.
 */
class InboundRequestContext implements RequestContext {
  route?: string;
  identity?: RequestContext['identity'];
  private controller?: AbortController;

  constructor(
    readonly requestId: string,
    readonly trace: TraceContext,
    readonly deadline: number,
    readonly startedAt: number,
    private readonly response: ContextResponse,
    route: string | undefined,
  ) {
    if (route !== undefined) this.route = route;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = (this.controller = new AbortController());
      const response = this.response;
      if (response.destroyed) {
        if (!response.writableFinished) controller.abort(new Error('client disconnected'));
      } else {
        response.once('close', () => {
          if (!response.writableFinished) controller.abort(new Error('client disconnected'));
        });
      }
    }
    return this.controller.signal;
  }
}

/**
 * The context of one inbound request, for servers that handle requests themselves (the
 * gateway's proxy path) and for the Fastify hook below: trace context continued or started,
 * the deadline, and an abort signal that fires when the client goes away before the end.
 */
export function openRequestContext(headers: Record<string, string | string[] | undefined>, response: ContextResponse, requestId: string, maxBudgetMs: number, route?: string): RequestContext {
  const now = Date.now();
  const trace = traceContextFrom(headers['traceparent'] as string | undefined, headers['tracestate'] as string | undefined);
  return new InboundRequestContext(requestId, trace, inboundDeadline(headers, now, maxBudgetMs), now, response, route);
}

/** Metrics and the server span of a finished request (the Fastify hook does this for its routes). */
export function recordInboundRequest(context: RequestContext, method: string, status: number): void {
  const route = context.route ?? 'unmatched';
  observeHttpRequest(method, route, status, (Date.now() - context.startedAt) / 1000);
  if (tracingEnabled()) recordServerSpan(context.trace, `${method} ${route}`, context.startedAt, { 'http.request.method': method, 'http.route': route, 'http.response.status_code': status }, status >= 500);
}

export function installRequestContext(fastify: FastifyInstance, options: RequestContextOptions): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const context = openRequestContext(request.headers, reply.raw, request.id, options.maxBudgetMs, request.routeOptions.url);
    const trace = context.trace;
    request.edgeContext = context;
    (request.raw as { id?: string }).id = request.id;
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('traceresponse', formatTraceparent(trace.traceId, trace.spanId, trace.flags));
    runWithRequestContext(context, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const context = request.edgeContext;
    if (context) recordInboundRequest(context, request.method, reply.statusCode);
    else observeHttpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
