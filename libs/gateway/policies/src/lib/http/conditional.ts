import { headerValue, splitList, type HeaderInput } from './header-values';
import { parseHttpDate } from './http-date';

const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** Weak comparison (RFC 9110 §8.8.3.2), the one If-None-Match uses. */
export function weakEtagMatch(a: string, b: string): boolean {
  return opaque(a.trim()) === opaque(b.trim());
}

/** Marks an entity tag weak: the gateway changed the bytes (fields removed, compressed). */
export function weakenEtag(tag: string): string {
  return tag.startsWith('W/') ? tag : `W/${tag}`;
}

/**
 * RFC 9110 §13.2.2 for GET/HEAD: If-None-Match decides when present; otherwise
 * If-Modified-Since against Last-Modified. True = answer 304.
 */
export function isNotModified(request: HeaderInput, response: HeaderInput): boolean {
  const inm = headerValue(request, 'if-none-match');
  if (inm !== undefined) {
    const etag = headerValue(response, 'etag');
    if (etag === undefined) return false;
    return splitList(inm).some((t) => t === '*' || weakEtagMatch(t, etag));
  }
  const ims = parseHttpDate(headerValue(request, 'if-modified-since'));
  const lastModified = parseHttpDate(headerValue(response, 'last-modified'));
  return ims !== undefined && lastModified !== undefined && lastModified <= ims;
}

/** Headers a 304 keeps from the full response (RFC 9110 §15.4.5). */
export const NOT_MODIFIED_HEADERS = ['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'last-modified', 'age', 'cache-status'] as const;
