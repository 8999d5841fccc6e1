import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MOBILE_BASE_PATH, PARTIAL_RESPONSE_HEADER } from '@edge/contracts-mobile';
import { downstreamCallsOf } from '../downstream/downstream-calls';
import { chooseCoding, COMPRESS_MIN_BYTES, encode } from './content-coding';
import { codedEtag, ifNoneMatchHits, strongEtag } from './etag';
import { checkBudget } from './payload-budget';

function appendVary(reply: FastifyReply, value: string): void {
  const current = reply.getHeader('vary');
  const list = typeof current === 'string' && current.length > 0 ? current.split(',').map((v) => v.trim()) : [];
  if (!list.some((v) => v.toLowerCase() === value.toLowerCase())) list.push(value);
  reply.header('vary', list.join(', '));
}

/**
 * What every mobile API response gets on its way out (Fastify onSend, on the serialized
 * JSON): its payload budget checked; for successful GETs a strong ETag, `private, no-cache`
 * and 304 when If-None-Match names it (never on partial responses, which are no-store);
 * br/gzip compression when the body is over 1 KiB and the app accepts it.
 */
export function installResponseHooks(fastify: FastifyInstance): void {
  const prefix = `${MOBILE_BASE_PATH}/`;
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (!request.url.startsWith(prefix) || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    const status = reply.statusCode;
    const bytes = Buffer.byteLength(payload);
    if (status >= 200 && status < 300) checkBudget(`${request.method} ${request.routeOptions.url ?? ''}`, bytes, downstreamCallsOf(request.edgeContext));

    let etag: string | undefined;
    if ((request.method === 'GET' || request.method === 'HEAD') && status === 200 && reply.getHeader(PARTIAL_RESPONSE_HEADER) === undefined) {
      etag = strongEtag(payload);
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      appendVary(reply, 'Authorization');
      if (ifNoneMatchHits(request.headers['if-none-match'], etag)) {
        reply.code(304).removeHeader('content-type');
        return '';
      }
    }
    if (bytes < COMPRESS_MIN_BYTES || status === 204 || status === 304) return payload;
    appendVary(reply, 'Accept-Encoding');
    const coding = chooseCoding(request.headers['accept-encoding']);
    if (coding === undefined) return payload;
    const encoded = encode(payload, coding);
    reply.header('content-encoding', coding);
    if (etag !== undefined) reply.header('etag', codedEtag(etag, coding));
    return encoded;
  });
}
