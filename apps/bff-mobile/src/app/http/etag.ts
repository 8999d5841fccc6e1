import { createHash } from 'node:crypto';

/** Strong ETag of a representation's exact bytes (before content coding). */
export function strongEtag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

/** The ETag of a content-coded variant: a strong validator names one representation (RFC 9110 §8.8.3). */
export function codedEtag(etag: string, coding: string): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '').replace(/-(?:br|gzip)"$/, '"');

/**
 * If-None-Match (RFC 9110 §13.1.2, weak comparison): `*` or any listed tag naming this
 * representation, in any content coding we produced, means the client has it already.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const ours = opaque(etag);
  return value.split(',').some((candidate) => opaque(candidate) === ours);
}
