/**
 * Decode and normalise the request target once, before routing, so that the path that is
 * matched against routes (and whose policies apply) is exactly the path sent upstream.
 * Strict by design: legitimate clients never send dot segments or encoded slashes, so
 * anything ambiguous is rejected instead of guessed at.
 */
export type TargetResult =
  | { ok: true; path: string; query: string; matchPath: string }
  | { ok: false; reason: string };

const HEX = /^[0-9A-Fa-f]{2}$/;

function isUnreserved(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x2d || // -
    code === 0x2e || // .
    code === 0x5f || // _
    code === 0x7e // ~
  );
}

const fail = (reason: string): TargetResult => ({ ok: false, reason });

/**
 * @param raw the request-target as received (origin-form: `/path?query`)
 * @param allowPathParameters whether `;` may appear in the path (server.pathParameters)
 * @returns `path`: normalised path to forward; `query`: the raw query, byte for byte
 * (without `?`, empty when absent); `matchPath`: `path` without a trailing slash, for routing.
 */
export function normalizeRequestTarget(raw: string, allowPathParameters = false): TargetResult {
  if (raw.length === 0 || raw.charCodeAt(0) !== 0x2f) return fail('request target must be a path');
  const q = raw.indexOf('?');
  const rawPath = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? '' : raw.slice(q + 1);
  if (raw.includes('#')) return fail('fragment in request target');

  let out = '';
  let lastSlash = false;
  for (let i = 0; i < rawPath.length; i++) {
    const code = rawPath.charCodeAt(i);
    if (code < 0x21 || code === 0x7f || code > 0x7e) return fail('control or non-ASCII character in path');
    if (code === 0x5c) return fail('backslash in path');
    if (code === 0x3b && !allowPathParameters) return fail('path parameter (;) in path');
    if (code === 0x25) {
      const hex = rawPath.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return fail('malformed percent-encoding');
      const decoded = parseInt(hex, 16);
      if (decoded === 0x2f || decoded === 0x5c) return fail('encoded slash or backslash in path');
      if (decoded < 0x20 || decoded === 0x7f) return fail('encoded control character in path');
      i += 2;
      if (isUnreserved(decoded)) {
        out += String.fromCharCode(decoded);
      } else {
        out += `%${hex.toUpperCase()}`;
      }
      lastSlash = false;
      continue;
    }
    if (code === 0x2f) {
      if (lastSlash) continue; // `//admin` is `/admin`: merge slashes
      lastSlash = true;
      out += '/';
      continue;
    }
    lastSlash = false;
    out += rawPath[i];
  }

  // Dot segments (also when they were percent-encoded) are refused, not resolved. So are
  // `..;x` and `.;x`: servlet containers (Tomcat, Jetty, Spring) drop a segment's `;`
  // parameters before resolving dots, so `/public/..;/admin` reaches their `/admin`.
  for (let start = 1; start <= out.length; ) {
    const end = out.indexOf('/', start);
    const segment = out.slice(start, end < 0 ? out.length : end);
    const semi = segment.indexOf(';');
    const name = semi < 0 ? segment : segment.slice(0, semi);
    if (name === '.' || name === '..') return fail('dot segment in path');
    if (end < 0) break;
    start = end + 1;
  }
  for (let i = 0; i < query.length; i++) {
    const code = query.charCodeAt(i);
    if (code < 0x21 || code === 0x7f || code > 0x7e) return fail('control or non-ASCII character in query');
  }
  const matchPath = out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
  return { ok: true, path: out, query, matchPath };
}
