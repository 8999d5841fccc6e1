import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Strong ETag of a representation's exact bytes. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * If-None-Match evaluation (RFC 9110 §13.1.2): `*` or any listed tag equal under the weak
 * comparison (W/ prefixes ignored) means the client already has this representation.
 */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return value.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

export interface CacheableOptions {
  /** e.g. `public, max-age=60` or `private, max-age=60`. */
  cacheControl: string;
  /** Request headers the representation depends on (default Authorization). */
  vary?: string;
}

/**
 * Sends JSON with a strong ETag and caching headers; answers 304 without a body when the
 * client's If-None-Match already names it. Use with `@Res()` (the status must be ours).
 */
export function sendCacheableJson(request: FastifyRequest, reply: FastifyReply, body: unknown, options: CacheableOptions): void {
  const payload = JSON.stringify(body);
  const etag = strongEtag(payload);
  reply.header('etag', etag).header('cache-control', options.cacheControl).header('vary', options.vary ?? 'Authorization');
  if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
    reply.code(304).send();
    return;
  }
  reply.code(200).type('application/json; charset=utf-8').send(payload);
}
