/**
 * Request and response header hygiene for the proxy (RFC 9110 §7.6.1; fastify-reply-from
 * and YARP do the same): hop-by-hop headers and every header named in Connection are not
 * forwarded; client-supplied identity headers and headers the gateway itself sets are
 * stripped; ambiguous requests (duplicate Host/Authorization/Content-Length, underscores
 * in names that some servers treat as dashes) are refused.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Headers the gateway sets itself: never taken from the client. */
export const GATEWAY_SET_HEADERS = [
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'forwarded',
  'x-real-ip',
  'x-request-id',
  'traceparent',
  'tracestate',
  'request-timeout-ms',
  'request-deadline',
  'x-user-id',
  'x-tenant-id',
  'x-client-id',
  'x-user-scopes',
  'x-gateway-route',
];

export const DEFAULT_IDENTITY_PATTERNS = ['x-user-*', 'x-tenant-*', 'x-client-*', 'x-authenticated-*'];

/** Which client request headers are dropped, besides hop-by-hop ones: takes a lower-case name. */
export type StripRule = (lowerName: string) => boolean;

const gatewaySet = new Set(GATEWAY_SET_HEADERS);

/**
 * The gateway's own headers always, plus the configured patterns (`x-user-*` or exact
 * names; the config compiler provides an equivalent precompiled matcher).
 */
export function compileHeaderRules(patterns: readonly string[], extra?: StripRule): StripRule {
  const prefixes: string[] = [];
  const exact = new Set<string>();
  for (const p of patterns) {
    const lower = p.toLowerCase();
    if (lower.endsWith('*')) prefixes.push(lower.slice(0, -1));
    else exact.add(lower);
  }
  return (name) => {
    if (gatewaySet.has(name) || exact.has(name) || extra?.(name) === true) return true;
    for (const prefix of prefixes) if (name.startsWith(prefix)) return true;
    return false;
  };
}

export interface SanitizedRequest {
  ok: true;
  /** Flat [name, value, ...] list to forward (undici accepts it and keeps repeated fields). */
  headers: string[];
  host: string | undefined;
  authorization: string | undefined;
  forwardedFor: string | undefined;
  contentLength: string | undefined;
  /** The request id the client sent (validated elsewhere). */
  requestId: string | undefined;
  traceparent: string | undefined;
  tracestate: string | undefined;
  deadline: string | undefined;
  timeout: string | undefined;
}

/**
 * RFC 9110 §7.2 Host: uri-host [":" port], as names are written in practice: letters, digits,
 * `-`, `.` and `_` (internal names use it; IDNs arrive as punycode), or a bracketed IP literal.
 * The value goes upstream as X-Forwarded-Host and in Forwarded, and upstreams build links from
 * it: `/`, `@`, `?`, `#`, `,` (a second X-Forwarded-Host entry), quotes, backslashes and spaces
 * would let a client shape those links or Forwarded, so anything else is refused (nginx refuses
 * such hosts too).
 */
const VALID_HOST = /^(?:[A-Za-z0-9._-]{1,255}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

export type SanitizeResult = SanitizedRequest | { ok: false; reason: string };

/**
 * Adds the header names a Connection value lists to `into` (made when first needed). Names
 * that are hop-by-hop anyway are skipped: `Connection: keep-alive`, what nearly every
 * HTTP/1.1 client and pooled upstream sends, then builds no set.
 */
function addConnectionOptions(value: string, into: Set<string> | undefined): Set<string> | undefined {
  // The common case, one lower-case hop-by-hop name (`keep-alive` on nearly every response),
  // without splitting the value into a new array.
  if (HOP_BY_HOP.has(value)) return into;
  for (const t of value.split(',')) {
    const token = t.trim().toLowerCase();
    if (token && !HOP_BY_HOP.has(token)) (into ??= new Set()).add(token);
  }
  return into;
}

function connectionTokens(raw: readonly string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).length === 10 && (raw[i] as string).toLowerCase() === 'connection') tokens = addConnectionOptions(raw[i + 1] as string, tokens);
  }
  return tokens;
}

export function sanitizeRequestHeaders(raw: readonly string[], strip: StripRule): SanitizeResult {
  const named = connectionTokens(raw);
  const out: string[] = [];
  const result: SanitizedRequest = {
    ok: true,
    headers: out,
    host: undefined,
    authorization: undefined,
    forwardedFor: undefined,
    contentLength: undefined,
    requestId: undefined,
    traceparent: undefined,
    tracestate: undefined,
    deadline: undefined,
    timeout: undefined,
  };
  let seenTransferEncoding = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name.charCodeAt(0) === 0x3a) {
      // HTTP/2 pseudo-headers: :authority stands for Host, the others are not forwarded.
      if (name === ':authority') {
        if (result.host !== undefined) return { ok: false, reason: 'duplicate Host header' };
        if (!VALID_HOST.test(value)) return { ok: false, reason: 'invalid Host header' };
        result.host = value;
      }
      continue;
    }
    if (name.includes('_')) return { ok: false, reason: `header name with underscore: ${name.slice(0, 64)}` };
    const lower = name.toLowerCase();
    switch (lower) {
      case 'host':
        if (result.host !== undefined) return { ok: false, reason: 'duplicate Host header' };
        if (!VALID_HOST.test(value)) return { ok: false, reason: 'invalid Host header' };
        result.host = value;
        continue;
      case 'authorization':
        if (result.authorization !== undefined) return { ok: false, reason: 'duplicate Authorization header' };
        result.authorization = value;
        out.push(name, value);
        continue;
      case 'content-length':
        if (result.contentLength !== undefined) return { ok: false, reason: 'duplicate Content-Length header' };
        result.contentLength = value;
        out.push(name, value);
        continue;
      case 'x-forwarded-for':
        result.forwardedFor = result.forwardedFor === undefined ? value : `${result.forwardedFor}, ${value}`;
        continue;
      case 'x-request-id':
        result.requestId ??= value;
        continue;
      case 'traceparent':
        result.traceparent ??= value;
        continue;
      case 'tracestate':
        result.tracestate = result.tracestate === undefined ? value : `${result.tracestate},${value}`;
        continue;
      case 'request-deadline':
        result.deadline ??= value;
        continue;
      case 'request-timeout-ms':
        result.timeout ??= value;
        continue;
      case 'expect':
        // 100-continue is answered hop by hop; undici refuses to forward it.
        continue;
      case 'transfer-encoding':
        // The body is forwarded re-framed, so a coding other than chunked (gzip, …) would reach
        // the upstream undeclared; a second header is a smuggling attempt. Refused (Envoy does).
        if (seenTransferEncoding) return { ok: false, reason: 'duplicate Transfer-Encoding header' };
        if (value.length !== 7 || value.toLowerCase() !== 'chunked') return { ok: false, reason: 'unsupported Transfer-Encoding (only chunked)' };
        seenTransferEncoding = true;
        continue;
    }
    if (HOP_BY_HOP.has(lower) || named?.has(lower) || strip(lower)) continue;
    out.push(name, value);
  }
  return result;
}

/** Upstream response headers minus hop-by-hop ones (and those named in its Connection). */
export function sanitizeResponseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connection = headers['connection'];
  let named: Set<string> | undefined;
  if (typeof connection === 'string') named = addConnectionOptions(connection, undefined);
  else if (connection) for (const value of connection) named = addConnectionOptions(value, named);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name)) continue;
    out[name] = value;
  }
  return out;
}
