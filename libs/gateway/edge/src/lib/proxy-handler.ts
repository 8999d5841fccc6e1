import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, Writable, type Readable } from 'node:stream';
import type { Logger } from 'pino';
import { HTTP_METHODS, type CompiledCluster, type CompiledRoute } from '@edge/gateway-config';
import { commitHead, routingMethod, type Exchange, type UpstreamFetch } from '@edge/gateway-policies';
import {
  normalizeRequestTarget,
  ProxyError,
  proxyErrorToProblem,
  canonicalAddress,
  resolveClientAddress,
  sanitizeRequestHeaders,
  type ClusterRuntime,
  type ForwardResult,
  type SanitizedRequest,
} from '@edge/gateway-proxy';
import { formatTraceparent, recordInboundRequest, startSpan, statusClass, tracingEnabled, type RequestContext } from '@edge/observability';
import { problem, sendProblem, ProblemException } from '@edge/problem-details';
import type { AccessLog, AccessRecord } from './access-log';
import { authenticate } from './authenticate';
import type { ConfigHolder } from './config-holder';
import { gatewayMetrics } from './gateway-metrics';
import type { GatewayRuntime } from './gateway-runtime';
import { upstreamHeaders } from './upstream-headers';

/** The methods a route may list (the config's own list), for the Allow header of a refused TRACE. */
const ROUTABLE_METHODS = HTTP_METHODS.join(', ');

/** Requests with a body up to this size are buffered when they may be retried (Idempotency-Key). */
const REPLAY_BUFFER_BYTES = 64 * 1024;

/** What a second request for the same exchange needs (stale-while-revalidate refreshes). */
interface ForwardBasis {
  sanitized: SanitizedRequest;
  clientHeaders: string[];
  forwardedFor: string;
  clientIp: string;
  proto: 'http' | 'https';
  cluster: CompiledCluster;
  runtime: GatewayRuntime;
}

const bases = new WeakMap<Exchange, ForwardBasis>();

/** `Object.keys(o).length > 0` without the array (per request). */
function hasEntries(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/**
 * Routes match without a trailing slash (`/a/` reaches the route of `/a`), but the upstream
 * gets the path as the client wrote it: `/web/` stays `/web/`.
 */
function upstreamPathOf(exchange: Exchange): string {
  const upstream = exchange.match.upstreamPath;
  return exchange.path.length > 1 && exchange.path.endsWith('/') && !upstream.endsWith('/') ? `${upstream}/` : upstream;
}

/**
 * The upstream request headers of an exchange: the client's sanitised ones, the gateway's,
 * then request filters. `fresh` copies the client headers (a second request from a basis).
 */
function requestHeaders(exchange: Exchange, basis: ForwardBasis, deadline: number, fresh = false): string[] {
  const headers = upstreamHeaders({
    sanitized: fresh ? { ...basis.sanitized, headers: [...basis.clientHeaders] } : basis.sanitized,
    forwardedFor: basis.forwardedFor,
    clientIp: basis.clientIp,
    proto: basis.proto,
    requestId: exchange.requestId,
    trace: exchange.trace,
    deadline,
    identity: exchange.identity,
    auth: exchange.route.auth.kind === 'jwt' ? exchange.route.auth : undefined,
  });
  const filters = exchange.upstreamRequestFilters;
  if (filters) for (const filter of filters) filter(exchange, headers);
  return headers;
}

/**
 * A buffered GET for an exchange that was already answered (a stale cache entry): same
 * route, cluster, path, identity; its own deadline; never touches the client response.
 */
export const fetchUpstream: UpstreamFetch = async (exchange, options) => {
  const basis = bases.get(exchange);
  if (!basis) throw new Error('no forward basis for this exchange');
  const deadline = Date.now() + exchange.route.timeoutMs;
  const headers = requestHeaders(exchange, basis, deadline, true);
  options.editHeaders(headers);
  const chunks: Buffer[] = [];
  let size = 0;
  let status = 0;
  let upstream: Record<string, string | string[]> = {};
  const query = exchange.query ? `?${exchange.query}` : '';
  await (basis.runtime.clusters.get(basis.cluster.id) as ClusterRuntime).forward({
    method: 'GET',
    path: upstreamPathOf(exchange) + query,
    headers,
    body: null,
    retryable: true,
    maxAttempts: exchange.route.attemptsFor(basis.cluster),
    deadline,
    respond: (s, h) => {
      status = s;
      upstream = h;
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size <= options.maxBodyBytes) chunks.push(chunk);
          callback();
        },
      });
    },
  });
  return { status, headers: upstream, body: size <= options.maxBodyBytes ? Buffer.concat(chunks) : null };
};

export interface ProxyHandlerDeps {
  holder: ConfigHolder;
  log: Logger;
  /** Where access lines go (buffered; records hold no secrets by construction). */
  accessLog: AccessLog;
}

function pickCluster(route: CompiledRoute, runtime: GatewayRuntime): { cluster: CompiledCluster; runtime: ClusterRuntime } {
  const target = route.target;
  const cluster = target.kind === 'cluster' ? target.cluster : target.kind === 'weighted' ? target.pick(Math.random()) : undefined;
  if (!cluster) throw problem('internal', { detail: 'route has no cluster target' });
  return { cluster, runtime: runtime.clusters.get(cluster.id) as ClusterRuntime };
}

/** Counts body bytes and fails the stream past the limit (chunked bodies have no Content-Length). */
function limitBody(body: Readable, limit: number): Readable {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new ProxyError('body-too-large', 'request body over the route limit'));
      else callback(null, chunk);
    },
  });
  body.on('error', (e) => limiter.destroy(e));
  return body.pipe(limiter);
}

async function bufferBody(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of body) {
    seen += (chunk as Buffer).length;
    if (seen > limit) throw new ProxyError('body-too-large', 'request body over the route limit');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The gateway's hot path for every routed request. Order: request target → header hygiene
 * → route → edge policies (IP/deny rules, CORS) → authentication → rate limits / cache →
 * forward (streaming both ways) → response filters. Everything that can be decided at
 * config load was (matchers, policies, pools); nothing here depends on options by branching
 * more than once per request.
 */
export function createProxyHandler(deps: ProxyHandlerDeps) {
  return async function handle(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
    const runtime = deps.holder.current; // one config version per request
    const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
    const started = performance.now();
    const socket = req.socket;
    const bytesRead = socket.bytesRead;
    const bytesWritten = socket.bytesWritten;
    const record: AccessRecord = {
      requestId: context.requestId,
      traceId: context.trace.traceId,
      method: req.method ?? '',
      path: '',
      route: undefined,
      cluster: undefined,
      destination: undefined,
      status: 0,
      durationMs: 0,
      upstreamMs: undefined,
      bytesIn: 0,
      bytesOut: 0,
      attempts: 0,
      breaker: undefined,
      clientIp: canonicalAddress(socket.remoteAddress ?? ''), // the real client once headers are read
      error: undefined,
    };
    let exchange: Exchange | undefined;
    try {
      const target = normalizeRequestTarget(req.url ?? '', runtime.config.server.allowPathParameters);
      if (!target.ok) throw problem('invalid-path', { detail: target.reason });
      record.path = target.path;
      const sanitized = sanitizeRequestHeaders(req.rawHeaders, runtime.strip);
      if (!sanitized.ok) throw problem('invalid-header', { detail: sanitized.reason });
      // HTTP/1.1 requires Host (RFC 9112 §3.2). Node's own check answers an empty 400; the
      // server leaves it to this one (requireHostHeader: false) so the answer is a problem.
      if (sanitized.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) throw problem('invalid-header', { detail: 'missing Host header' });
      const client = resolveClientAddress(req.socket.remoteAddress, sanitized.forwardedFor, runtime.config.server.trustedProxies);
      record.clientIp = client.client;
      const method = req.method ?? 'GET';
      // No route can list TRACE (the config's methods have no such value), and an upstream
      // that echoes it would hand the client what the gateway added: identity headers, an
      // exchanged token. Refused whatever the route, as nginx does.
      if (method === 'TRACE') throw problem('method-not-allowed', { detail: 'TRACE is not supported.', headers: { allow: ROUTABLE_METHODS } });
      // CORS preflights are routed by the method they announce.
      const match = runtime.config.matcher.match(routingMethod(method, req.headers), target.matchPath, req.headers);
      if (!match) throw problem('not-found', { detail: 'No route matches this request.' });
      const route = match.route;
      record.route = route.id;
      context.route = route.id; // server span and http metrics are labelled by the gateway route
      exchange = {
        req,
        res,
        method,
        path: target.path,
        query: target.query,
        match,
        route,
        clientIp: client.client,
        requestId: context.requestId,
        trace: context.trace,
        tls,
        deadline: Math.min(context.deadline, context.startedAt + route.timeoutMs),
        identity: undefined,
        apiKey: undefined,
        responseHeaders: [],
        responseFilters: [],
        notes: {},
      };
      const engine = runtime.policies;
      // Stages and authentication answer without a promise when they can: each await is a
      // microtask hop and a promise on every request.
      if (engine) {
        const before = engine.beforeAuth(exchange);
        if ((typeof before === 'string' ? before : await before) === 'handled') return;
      }
      const identity = authenticate(exchange, runtime, sanitized.authorization);
      exchange.identity = identity instanceof Promise ? await identity : identity;
      if (exchange.identity) context.identity = { sub: exchange.identity.sub, tenant: exchange.identity.tenant, clientId: exchange.identity.clientId };
      if (engine) {
        const after = engine.afterAuth(exchange);
        if ((typeof after === 'string' ? after : await after) === 'handled') return;
      }
      if (route.target.kind === 'aggregate') {
        if (!runtime.aggregate) throw problem('internal', { detail: 'aggregation is not available' });
        await runtime.aggregate(exchange);
        return;
      }

      const contentLength = sanitized.contentLength === undefined ? undefined : Number(sanitized.contentLength);
      if (contentLength !== undefined && !(contentLength <= route.maxBodyBytes)) throw new ProxyError('body-too-large', 'declared body over the route limit');
      const hasBody = contentLength !== undefined ? contentLength > 0 : req.headers['transfer-encoding'] !== undefined;
      const { cluster, runtime: clusterRuntime } = pickCluster(route, runtime);
      record.cluster = cluster.id;
      const basis: ForwardBasis = { sanitized, clientHeaders: sanitized.headers, forwardedFor: client.forwardedFor, clientIp: client.client, proto: tls ? 'https' : 'http', cluster, runtime };
      // Only cached routes may need the request again (background revalidation): keep a copy.
      if (route.cache) bases.set(exchange, { ...basis, clientHeaders: [...sanitized.headers] });
      const keyed = req.headers['idempotency-key'] !== undefined;
      // Retried without a key only for the cluster's methods (idempotent by default); a body is
      // replayable only when small enough to buffer.
      let retryable = keyed || cluster.retries.methods.includes(method as never);
      let body: Readable | Buffer | null = null;
      if (hasBody) {
        if (retryable && contentLength !== undefined && contentLength <= REPLAY_BUFFER_BYTES) body = await bufferBody(req, route.maxBodyBytes);
        else {
          retryable = false;
          body = contentLength !== undefined ? req : limitBody(req, route.maxBodyBytes);
        }
      }
      const headers = requestHeaders(exchange, basis, exchange.deadline);
      const query = target.query ? `?${target.query}` : '';
      const ex = exchange;
      const upstreamStarted = performance.now();
      const result: ForwardResult = await clusterRuntime.forward({
        method,
        path: upstreamPathOf(exchange) + query,
        headers,
        body,
        retryable,
        maxAttempts: route.attemptsFor(cluster),
        deadline: exchange.deadline,
        client: res,
        // Each attempt is its own client span when spans are exported; the upstream sees that
        // span as its parent. Without an exporter the traceparent built above stands.
        attemptStarted: tracingEnabled()
          ? (attempt, destination) => {
              const span = startSpan(`${method} ${cluster.id}`, 'client', { 'gateway.route': route.id, 'gateway.cluster': cluster.id, 'gateway.destination': destination, 'http.request.resend_count': attempt });
              const at = headers.indexOf('traceparent') + 1;
              if (at > 0) headers[at] = span.traceparent;
              return (outcome) => {
                span.setAttribute(typeof outcome === 'number' ? 'http.response.status_code' : 'error.type', outcome);
                span.end({ error: typeof outcome !== 'number' || outcome >= 500 });
              };
            }
          : undefined,
        respond: (status, upstream) => {
          record.upstreamMs = performance.now() - upstreamStarted;
          return commitHead(ex, { status, headers: upstream });
        },
      });
      record.status = result.status;
      record.destination = result.destination;
      record.attempts = result.attempts;
      if (result.bodyError) record.error = result.bodyError.kind;
    } catch (error) {
      const failure = error instanceof ProxyError ? error : undefined;
      if (failure?.kind === 'client-aborted') {
        record.status = 499;
        record.error = 'client-aborted';
        if (!res.headersSent) res.destroy();
        return;
      }
      const mapped = failure ? proxyErrorToProblem(failure) : error;
      // stale-if-error: the cache may answer a failed upstream with a stale entry.
      if (exchange?.onUpstreamFailure && failure && !res.headersSent && mapped instanceof ProblemException && exchange.onUpstreamFailure(mapped.status)) {
        record.error = failure.kind;
        record.status = res.statusCode;
        return;
      }
      if (exchange && !res.headersSent) {
        for (const [name, value] of exchange.responseHeaders) res.setHeader(name, value);
        res.setHeader('traceresponse', formatTraceparent(context.trace.traceId, context.trace.spanId, context.trace.flags));
      }
      const sent = sendProblem(res, mapped, { requestId: context.requestId, traceId: context.trace.traceId, instance: record.path || undefined });
      record.status = sent.status;
      record.error = failure?.kind ?? (mapped instanceof ProblemException ? mapped.code : 'internal');
      if (sent.unexpected) deps.log.error({ err: error, requestId: context.requestId }, 'unexpected error in the proxy path');
      if (record.status < 500 || !failure) gatewayMetrics.rejected.inc({ reason: mapped instanceof ProblemException ? mapped.code : 'internal' });
    } finally {
      const finish = () => {
        record.durationMs = performance.now() - started;
        if (record.status === 0) record.status = res.statusCode;
        record.bytesIn = socket.bytesRead - bytesRead;
        record.bytesOut = socket.bytesWritten - bytesWritten;
        if (record.cluster) record.breaker = runtime.clusters.get(record.cluster)?.breakerState;
        if (exchange && hasEntries(exchange.notes)) record.notes = exchange.notes;
        gatewayMetrics.requests.observe(record.durationMs / 1000, record.route ?? 'unmatched', record.cluster ?? 'none', statusClass(record.status));
        deps.accessLog(record);
        recordInboundRequest(context, record.method, record.status);
      };
      if (res.writableFinished || res.destroyed) finish();
      else res.once('close', finish);
    }
  };
}
