import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transform } from 'node:stream';
import type { Identity } from '@edge/auth/verify';
import type { CompiledRoute, RouteMatch } from '@edge/gateway-config';
import type { TraceContext } from '@edge/observability';

/**
 * One request passing through the gateway: what every edge stage reads and writes. Built
 * once by the proxy handler after the request target and headers were checked; stages run
 * in a fixed order (see the handler) and never re-parse what is here.
 */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** Decoded, normalised path (what routes matched). */
  readonly path: string;
  /** Raw query without `?`, byte for byte ('' when none). */
  readonly query: string;
  readonly match: RouteMatch;
  readonly route: CompiledRoute;
  /** Real client address (trusted proxies resolved). */
  readonly clientIp: string;
  readonly requestId: string;
  readonly trace: TraceContext;
  readonly tls: boolean;
  /** Epoch ms: route timeout, or the caller's shorter deadline. */
  readonly deadline: number;
  /** Set by authentication on routes with a JWT policy. */
  identity: Identity | undefined;
  /** Presented API key (routes whose auth policy passes keys through), never logged. */
  apiKey: string | undefined;
  /**
   * Headers every response of this exchange carries (RateLimit, CORS, security headers...).
   * Applied after the response filters (so a cache never stores them); `vary` is merged into
   * the response's own Vary, every other name replaces the upstream's value.
   */
  readonly responseHeaders: [string, string][];
  /** Called in order when the response head is known, before it is written (also for cache hits). */
  readonly responseFilters: ResponseFilter[];
  /** For the access log: cache status, rate-limit decision and the like. */
  readonly notes: Record<string, string | number | boolean>;
  /**
   * Edits of the forwarded request headers (request transforms, cache validators), run in
   * order by the handler on the flat `[name, value, ...]` list it built (client headers after
   * hygiene + the gateway's own), just before forwarding. Names in the list may be in any case.
   * Optional so that builders of exchanges that never forward need not create it.
   */
  upstreamRequestFilters?: UpstreamRequestFilter[];
  /**
   * Set by the cache when it holds a stale response it may serve instead of an error
   * (stale-if-error). The handler calls it when forwarding failed before a response head was
   * sent, with the status of the problem it would answer; `true` means the hook has written the
   * whole response and the handler must not.
   */
  onUpstreamFailure?: (status: number) => boolean;
}

export interface ResponseHead {
  status: number;
  /** Lower-case names; filters may add, change or delete entries. */
  headers: Record<string, string | string[]>;
  /**
   * Set by a filter whose transform must see the whole body before the head may be written
   * (e.g. JSON field removal, which can still turn into a 502): the head is then written with
   * the first body byte (or at the end), and transforms may change it until then.
   */
  deferred?: boolean;
}

/**
 * Sees (and may change) the response head; may return a Transform the body passes through
 * (JSON field removal, compression, a cache writer). Transforms are chained in filter order.
 */
export type ResponseFilter = (exchange: Exchange, head: ResponseHead) => Transform | undefined;

/** Edits the flat `[name, value, ...]` list of headers sent upstream, in place. */
export type UpstreamRequestFilter = (exchange: Exchange, headers: string[]) => void;

/** A request stage either lets the request continue or has answered it (cache hit, preflight). */
export type StageResult = 'continue' | 'handled';
