import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@edge/contracts-web';
import type { WebRouteKind } from './web-route';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type BrowserVerdict = { ok: true } | { ok: false; reason: string };

export interface RequestFacts {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

/** `scheme://host[:port]` as browsers send it in Origin (lower case, default ports dropped). */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * The anti-forgery rules of a route kind (see web-route.ts), as a pure function:
 * Sec-Fetch-Site `cross-site` is refused wherever a browser is expected, the custom
 * header is required on api/session-info, and the Origin must be allowed on
 * state-changing api calls and on forms. `null` (opaque) origins are never allowed.
 */
export function browserVerdict(kind: WebRouteKind, request: RequestFacts, allowedOrigins: ReadonlySet<string>): BrowserVerdict {
  if (kind === 'back-channel') return { ok: true };
  const method = request.method.toUpperCase();
  if (kind === 'page') return SAFE_METHODS.has(method) ? { ok: true } : { ok: false, reason: 'pages are only navigated to' };
  if (single(request.headers['sec-fetch-site']) === 'cross-site') return { ok: false, reason: 'cross-site request' };
  if (kind === 'api' || kind === 'session-info') {
    if (single(request.headers[CSRF_HEADER]) !== CSRF_HEADER_VALUE) return { ok: false, reason: `the ${CSRF_HEADER} header is missing` };
  }
  const needsOrigin = kind === 'form' || (kind === 'api' && !SAFE_METHODS.has(method));
  if (needsOrigin) {
    const origin = single(request.headers['origin']);
    if (origin === undefined) return { ok: false, reason: 'the Origin header is missing' };
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined || !allowedOrigins.has(normalized)) return { ok: false, reason: 'the Origin is not allowed' };
  }
  return { ok: true };
}
