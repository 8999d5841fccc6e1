import { WEB_BASE_PATH, WEB_PATHS } from '@edge/contracts-web';

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;
const BFF_ENDPOINTS: ReadonlySet<string> = new Set([WEB_PATHS.login, WEB_PATHS.callback, WEB_PATHS.logout, WEB_PATHS.backchannelLogout, WEB_PATHS.session]);

/**
 * Where to send the browser after sign-in: only a same-origin path inside the SPA
 * (`/web/...`); anything else — absolute or scheme-relative URLs (`//evil.example`,
 * `https://evil.example`), backslashes (`/\evil`, which browsers read as `//evil`),
 * encoded variants of those, control characters, dot segments out of /web — falls back
 * to the SPA's root. The answer is a path we rebuilt, never the raw input.
 */
export function safeReturnTo(raw: unknown): string {
  const fallback = WEB_PATHS.app;
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 512) return fallback;
  // Decode repeatedly: %2F%2F, %252F%252F and friends must not survive as a second form.
  let value = raw;
  for (let i = 0; i < 3; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      return fallback;
    }
    if (CONTROL_OR_BACKSLASH.test(decoded)) return fallback;
    if (decoded === value) break;
    value = decoded;
  }
  if (!raw.startsWith('/') || raw.startsWith('//') || value.startsWith('//')) return fallback;
  let url: URL;
  let decodedUrl: URL;
  try {
    url = new URL(raw, 'http://bff.invalid');
    // The decoded form must stay inside /web too (`/web/..%2f..%2fevil` is `/evil` to some).
    decodedUrl = new URL(value, 'http://bff.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://bff.invalid' || decodedUrl.origin !== 'http://bff.invalid') return fallback;
  const path = url.pathname;
  const insideWeb = (p: string) => p === WEB_BASE_PATH || p.startsWith(`${WEB_BASE_PATH}/`);
  if (!insideWeb(path) || !insideWeb(decodedUrl.pathname)) return fallback;
  // Back to the SPA only: never to the BFF's own endpoints (login loops, logout, API JSON).
  if (path.startsWith(`${WEB_BASE_PATH}/api/`) || BFF_ENDPOINTS.has(path)) {
    return fallback;
  }
  return `${path}${url.search}${url.hash}`;
}
