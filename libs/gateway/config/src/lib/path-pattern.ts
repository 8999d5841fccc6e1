/**
 * Route path patterns and upstream paths. Patterns are decoded, normalised paths (the runtime
 * decodes and normalises a request path once before matching), so they may not contain what a
 * normalised path never contains: `%`, `\`, `//`, dot segments, a trailing slash.
 */
export type PathPattern =
  | { kind: 'exact'; path: string }
  /** `prefix` is the matched part without its trailing `/**`; `''` for the catch-all `/**`. */
  | { kind: 'prefix'; prefix: string };

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const SEGMENT = /^[A-Za-z0-9._~!$&'()+,;=:@-]+$/;

export function parsePathPattern(pattern: string): Parsed<PathPattern> {
  if (!pattern.startsWith('/')) return { ok: false, message: 'must start with "/"' };
  if (pattern === '/') return { ok: true, value: { kind: 'exact', path: '/' } };
  if (pattern === '/**') return { ok: true, value: { kind: 'prefix', prefix: '' } };
  const isPrefix = pattern.endsWith('/**');
  const body = isPrefix ? pattern.slice(0, -3) : pattern;
  if (body.includes('*')) return { ok: false, message: 'wildcards are only allowed as a trailing "/**" (prefix match)' };
  if (body.endsWith('/')) {
    return { ok: false, message: isPrefix ? 'has an empty segment before "/**"' : `must not end with "/" (${body.slice(0, -1)} already matches the trailing-slash variant)` };
  }
  const problem = segmentProblem(body.slice(1).split('/'));
  if (problem) return { ok: false, message: problem };
  return { ok: true, value: isPrefix ? { kind: 'prefix', prefix: body } : { kind: 'exact', path: body } };
}

function segmentProblem(segments: string[]): string | undefined {
  for (const segment of segments) {
    if (segment === '') return 'must not contain "//" (empty segments)';
    if (segment === '.' || segment === '..') return 'must not contain "." or ".." segments';
    if (!SEGMENT.test(segment)) {
      return `segment "${segment}" has characters a normalised path never has (allowed: letters, digits and -._~!$&'()+,;=:@; no %, \\, ?, #, spaces, braces)`;
    }
  }
  return undefined;
}

/** The pattern's text form, for messages and conflict keys. */
export function patternText(p: PathPattern): string {
  return p.kind === 'exact' ? p.path : `${p.prefix}/**`;
}

/**
 * Checks a path that will be sent to a cluster's destination (rewrites, aggregate parts, health
 * checks, OpenAPI sources). Anything that could name another host (`http://…`, `//host`, `\`)
 * is refused: the gateway only ever proxies to the cluster's own destinations.
 */
export function upstreamPathProblem(path: string, opts: { allowQuery: boolean }): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || path.startsWith('//') || path.includes('\\')) {
    return 'must be a path on the cluster\'s destinations, not a URL: it would proxy to a host outside the cluster';
  }
  if (!path.startsWith('/')) return 'must start with "/"';
  if (/\s/.test(path)) return 'must not contain whitespace';
  if (path.includes('#')) return 'must not contain a fragment ("#")';
  const [pathPart = '', query] = path.split('?', 2);
  if (query !== undefined && !opts.allowQuery) return 'must not contain a query: the request query is forwarded byte-for-byte';
  if (pathPart.split('/').some((s) => s === '.' || s === '..' || /^%2e(%2e)?$/i.test(s))) return 'must not contain "." or ".." segments';
  if (/%2f|%5c/i.test(pathPart)) return 'must not contain encoded slashes or backslashes';
  return undefined;
}
