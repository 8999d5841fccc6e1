import type { FastifyInstance } from 'fastify';
import { inboundDeadline } from './deadline';
import { observeHttpRequest } from './metrics';
import { recordServerSpan } from './spans';
import { runWithRequestContext, type RequestContext } from './request-context';
import { REQUEST_ID_HEADER } from './request-id';
import { formatTraceparent, traceContextFrom } from './trace-context';

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
export function installRequestContext(fastify: FastifyInstance, options: RequestContextOptions): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const now = Date.now();
    const headers = request.headers;
    const trace = traceContextFrom(headers.traceparent as string | undefined, headers.tracestate as string | undefined);
    const controller = new AbortController();
    const context: RequestContext = {
      requestId: request.id,
      trace,
      deadline: inboundDeadline(headers, now, options.maxBudgetMs),
      startedAt: now,
      signal: controller.signal,
      route: request.routeOptions.url,
    };
    request.edgeContext = context;
    (request.raw as { id?: string }).id = request.id;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new Error('client disconnected'));
    });
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('traceresponse', formatTraceparent(trace.traceId, trace.spanId, trace.flags));
    runWithRequestContext(context, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const context = request.edgeContext;
    const route = context?.route ?? request.routeOptions.url ?? 'unmatched';
    observeHttpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (context) {
      recordServerSpan(context.trace, `${request.method} ${route}`, context.startedAt, { 'http.request.method': request.method, 'http.route': route, 'http.response.status_code': reply.statusCode }, reply.statusCode >= 500);
    }
    done();
  });
}
