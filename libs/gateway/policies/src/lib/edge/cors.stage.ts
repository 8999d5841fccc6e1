import type { CompiledRoute } from '@edge/gateway-config';
import { problem } from '@edge/problem-details';
import type { Exchange, StageResult } from '../exchange';
import { headerValue, splitList } from '../http/header-values';
import { addResponseHeader, writeResponse } from '../respond';

/** Methods and request headers a browser may use without the server naming them (Fetch standard). */
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SAFELISTED_HEADERS = ['accept', 'accept-language', 'content-language'];

/** A request that asks whether a cross-origin request may be sent (Fetch §3.2.2). */
export function isPreflight(method: string, headers: { readonly [name: string]: unknown }): boolean {
  return method === 'OPTIONS' && headers['origin'] !== undefined && headers['access-control-request-method'] !== undefined;
}

/**
 * The method to route a request by: a preflight is routed as the request it announces
 * (Access-Control-Request-Method), so that it meets that route's CORS policy.
 */
export function routingMethod(method: string, headers: { readonly [name: string]: unknown }): string {
  const announced = headers['access-control-request-method'];
  return isPreflight(method, headers) && typeof announced === 'string' ? announced : method;
}

/**
 * CORS per route: exact origin allow-list; preflights answered here (204 + Allow-* + max-age,
 * or a 403 problem without any CORS header, so the browser blocks the request); actual
 * requests from allowed origins get Allow-Origin (+ exposed headers, + credentials only with
 * explicit origins). Disallowed origins get nothing: the browser then hides the response.
 * `Vary: Origin` whenever the answer depends on the Origin, so shared caches keep them apart.
 */
export function corsStage(route: CompiledRoute): ((exchange: Exchange) => StageResult) | null {
  const policy = route.cors;
  if (!policy) return null;
  const credentials = policy.credentials && !policy.anyOrigin; // `*` never with credentials
  const dependsOnOrigin = !policy.anyOrigin || credentials;
  const allowedHeaders = new Set([...policy.allowHeaders, ...SAFELISTED_HEADERS]);
  const allowMethods = policy.methods.join(', ');
  const exposeHeaders = policy.exposeHeaders.join(', ');
  const allowOrigin = (origin: string) => (policy.anyOrigin && !credentials ? '*' : origin);

  const preflight = (exchange: Exchange, origin: string): StageResult => {
    const method = headerValue(exchange.req.headers, 'access-control-request-method') ?? '';
    const requested = splitList(headerValue(exchange.req.headers, 'access-control-request-headers')).map((h) => h.toLowerCase());
    const methodOk = (policy.methods as readonly string[]).includes(method) || SAFELISTED_METHODS.has(method);
    const refused = requested.find((h) => !allowedHeaders.has(h));
    if (!policy.allowsOrigin(origin) || !methodOk || refused !== undefined) {
      exchange.notes['cors'] = !policy.allowsOrigin(origin) ? 'origin-refused' : !methodOk ? 'method-refused' : 'header-refused';
      throw problem('forbidden', { detail: 'CORS preflight refused for this origin, method or header set.' });
    }
    const headers: Record<string, string> = {
      'access-control-allow-origin': allowOrigin(origin),
      'access-control-allow-methods': allowMethods,
      'access-control-max-age': String(policy.maxAgeSec),
    };
    if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ');
    if (credentials) headers['access-control-allow-credentials'] = 'true';
    headers['vary'] = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
    exchange.notes['cors'] = 'preflight';
    writeResponse(exchange, { status: 204, headers });
    return 'handled';
  };

  return (exchange) => {
    const origin = headerValue(exchange.req.headers, 'origin');
    if (origin !== undefined && isPreflight(exchange.method, exchange.req.headers)) return preflight(exchange, origin);
    if (dependsOnOrigin) addResponseHeader(exchange, 'vary', 'Origin');
    if (origin === undefined || !policy.allowsOrigin(origin)) return 'continue';
    addResponseHeader(exchange, 'access-control-allow-origin', allowOrigin(origin));
    if (credentials) addResponseHeader(exchange, 'access-control-allow-credentials', 'true');
    if (exposeHeaders) addResponseHeader(exchange, 'access-control-expose-headers', exposeHeaders);
    return 'continue';
  };
}
