import type { CompiledRoute } from '@edge/gateway-config';
import type { Exchange, ResponseFilter, ResponseHead, UpstreamRequestFilter } from '../exchange';
import { headerValue } from '../http/header-values';
import { flatRemove } from '../http/header-values';
import { requestHeaderOps, responseHeaderOps } from './header-ops';
import { filterJsonBody, isJsonType, jsonFieldFilter } from './json-field-filter';
import type { ResponseState } from './response-state';

export interface RouteTransforms {
  /** Request header operations (and, with JSON filtering, no upstream compression). */
  readonly request: UpstreamRequestFilter | null;
  /** Header operations on a response head (also used for cache refreshes). */
  readonly headers: ((headers: Record<string, string | string[]>) => void) | null;
  /** The streaming response filter of an exchange. */
  filter(state: ResponseState): ResponseFilter;
  /** The same transformation on a complete body (background cache refresh); undefined = fail closed. */
  buffered(exchange: Exchange, head: ResponseHead, body: Buffer): Buffer | undefined;
}

/**
 * The route's transformations. JSON field removal needs plain JSON, so the upstream is asked
 * for an unencoded body (Accept-Encoding removed from the forwarded request); the gateway
 * compresses afterwards if the route says so.
 */
export function routeTransforms(route: CompiledRoute): RouteTransforms | null {
  const policy = route.transforms;
  if (!policy) return null;
  const headers = responseHeaderOps(policy.response, policy.response.strip);
  const requestOps = requestHeaderOps(policy.request);
  const json = policy.jsonResponse ? { fields: new Set(policy.jsonResponse.removeFields), maxBufferBytes: policy.jsonResponse.maxBufferBytes } : null;
  const request: UpstreamRequestFilter | null =
    requestOps || json
      ? (_exchange, list) => {
          requestOps?.(list);
          if (json) flatRemove(list, 'accept-encoding');
        }
      : null;
  return {
    request,
    headers,
    filter: (state) => (exchange, head) => {
      if (state.replaced) return undefined;
      headers?.(head.headers);
      if (!json) return undefined;
      return jsonFieldFilter(exchange, head, { fields: json.fields, maxBufferBytes: json.maxBufferBytes, onFailed: () => (state.failed = true) });
    },
    buffered(exchange, head, body) {
      headers?.(head.headers);
      if (!json || exchange.method === 'HEAD' || !isJsonType(headerValue(head.headers, 'content-type'))) return body;
      if (body.length > json.maxBufferBytes || headerValue(head.headers, 'content-encoding') !== undefined) return undefined;
      return filterJsonBody(body, json.fields);
    },
  };
}
