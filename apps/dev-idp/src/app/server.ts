import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Provider } from 'oidc-provider';
import {
  formatTraceparent,
  inboundDeadline,
  metricsRegistry,
  observeHttpRequest,
  recordServerSpan,
  requestIdFrom,
  runWithRequestContext,
  traceContextFrom,
  type RequestContext,
} from '@edge/observability';
import { problem, sendProblem } from '@edge/problem-details';
import { writeClientError, type Readiness } from '@edge/server';
import { interactionRoute, type Interactions } from './interactions';

/** Longest a request may take here; the IdP does no outbound work on the request path. */
const REQUEST_BUDGET_MS = 30_000;

export interface DevIdpServerOptions {
  provider: Provider;
  interactions: Interactions;
  readiness: Readiness;
  logger: Logger;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'cache-control': 'no-store', ...headers });
  res.end(payload);
}

/**
 * A plain node:http server in front of oidc-provider. oidc-provider is a Koa application;
 * mounting it inside Nest/Fastify means bridging two middleware models for no gain, so the
 * few routes of our own (health, metrics, interaction pages) are routed here and everything
 * else goes to provider.callback(). OAuth endpoints answer with RFC 6749 JSON errors, as
 * the specs require; all other errors are problem+json (provider-hooks.ts covers unknown paths).
 */
export function createDevIdpServer(options: DevIdpServerOptions): Server {
  const { provider, interactions, readiness, logger } = options;
  const oidc = provider.callback();

  async function route(req: IncomingMessage, res: ServerResponse, context: RequestContext, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      context.route = '/healthz';
      return sendJson(res, 200, { status: 'ok' });
    }
    if (path === '/readyz' && (method === 'GET' || method === 'HEAD')) {
      context.route = '/readyz';
      const failing = await readiness.failing();
      if (failing.length === 0) return sendJson(res, 200, { status: 'ready' });
      const code = readiness.phase === 'draining' ? 'draining' : 'dependency-unavailable';
      throw problem(code, { detail: `not ready: ${failing.join(', ')}`, headers: { 'retry-after': '5' } });
    }
    if (path === '/metrics' && method === 'GET') {
      context.route = '/metrics';
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    const interaction = interactionRoute(method, path);
    if (interaction) {
      context.route = interaction;
      if (interaction.endsWith('/login')) return interactions.login(req, res);
      if (interaction.endsWith('/abort')) return interactions.abort(req, res);
      return interactions.show(req, res);
    }
    if (path.startsWith('/interaction/')) throw problem('not-found', { detail: 'no such interaction page' });
    context.route = 'oidc';
    await oidc(req, res);
  }

  const server = createServer((req, res) => {
    const now = Date.now();
    const started = performance.now();
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const trace = traceContextFrom(single(req.headers['traceparent']), single(req.headers['tracestate']));
    const controller = new AbortController();
    const context: RequestContext = {
      requestId,
      trace,
      deadline: inboundDeadline(req.headers, now, REQUEST_BUDGET_MS),
      startedAt: now,
      signal: controller.signal,
    };
    const path = (req.url ?? '/').split('?', 1)[0] as string;
    res.setHeader('x-request-id', requestId);
    res.setHeader('traceresponse', formatTraceparent(trace.traceId, trace.spanId, trace.flags));
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client disconnected'));
      const seconds = (performance.now() - started) / 1000;
      const routeLabel = context.route ?? 'unmatched';
      observeHttpRequest(req.method ?? 'GET', routeLabel, res.statusCode, seconds);
      recordServerSpan(trace, `${req.method} ${routeLabel}`, now, { 'http.request.method': req.method, 'http.route': routeLabel, 'http.response.status_code': res.statusCode }, res.statusCode >= 500);
      if (routeLabel === '/healthz' || routeLabel === '/readyz' || routeLabel === '/metrics') return;
      runWithRequestContext(context, () =>
        // The path only: query strings here carry ID token hints, codes and states.
        logger.info({ method: req.method, path, route: routeLabel, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request'),
      );
    });
    runWithRequestContext(context, () => {
      route(req, res, context, path).catch((error: unknown) => {
        const sent = sendProblem(res, error, { requestId, traceId: trace.traceId, instance: path });
        if (sent.unexpected) logger.error({ err: error, route: context.route }, 'request failed');
      });
    });
  });
  server.on('clientError', writeClientError);
  server.keepAliveTimeout = 5_000;
  return server;
}
