import { Transform } from 'node:stream';
import { problem, toProblemResponse } from '@edge/problem-details';
import type { Exchange, ResponseHead } from '../exchange';
import { weakenEtag } from '../http/conditional';
import { headerValue } from '../http/header-values';

/** `application/json`, `application/problem+json`, `application/vnd.x+json`... */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Deletes the named members at any depth, in place. */
export function removeFields(value: unknown, fields: ReadonlySet<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) removeFields(item, fields);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (fields.has(key)) delete record[key];
      else removeFields(record[key], fields);
    }
  }
}

/** Filters a complete JSON body; undefined when it is not JSON (or too deep to walk). */
export function filterJsonBody(body: Buffer, fields: ReadonlySet<string>): Buffer | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    removeFields(parsed, fields);
    return Buffer.from(JSON.stringify(parsed));
  } catch {
    return undefined;
  }
}

/** Replaces the head (and announces the body) of a response that cannot be passed on safely. */
export function failClosed(exchange: Exchange, head: ResponseHead): Buffer {
  const p = toProblemResponse(problem('bad-gateway', { detail: 'The upstream response could not be filtered.' }), {
    requestId: exchange.requestId,
    traceId: exchange.trace.traceId,
  });
  const body = Buffer.from(JSON.stringify(p.body));
  head.status = p.status;
  head.headers = { ...p.headers, 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'content-length': String(body.length) };
  return body;
}

export interface JsonFilterOptions {
  readonly fields: ReadonlySet<string>;
  readonly maxBufferBytes: number;
  /** Told when the response was replaced by a 502 (so that nothing stores it). */
  readonly onFailed: () => void;
}

/** A transform that discards what it receives and emits `body` instead. */
export function replaceBody(body: Buffer): Transform {
  return new Transform({
    transform(_chunk, _encoding, callback) {
      callback();
    },
    flush(callback) {
      callback(null, body.length > 0 ? body : undefined);
    },
  });
}

/**
 * JSON field removal with a bounded buffer. The whole body is needed before anything may be
 * sent (a denied field can sit at the very end), so the head is deferred until the filtered
 * body exists; over `maxBufferBytes`, not JSON, or content-encoded, the response fails
 * closed as a 502 problem — never passed through unfiltered. A Content-Length above the
 * bound fails at once without buffering. Re-serialising normalises whitespace and loses
 * integer precision beyond 2^53 (JSON.parse), which is why this is for light use.
 */
export function jsonFieldFilter(exchange: Exchange, head: ResponseHead, options: JsonFilterOptions): Transform | undefined {
  if (exchange.method === 'HEAD' || head.status === 204 || head.status === 304 || !isJsonType(headerValue(head.headers, 'content-type'))) return undefined;
  const encoding = headerValue(head.headers, 'content-encoding');
  const declared = headerValue(head.headers, 'content-length');
  if ((encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') || (declared !== undefined && Number(declared) > options.maxBufferBytes)) {
    options.onFailed();
    return replaceBody(failClosed(exchange, head));
  }
  head.deferred = true;
  delete head.headers['content-length'];
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!over) {
        size += chunk.length;
        if (size > options.maxBufferBytes) {
          over = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      }
      callback();
    },
    flush(callback) {
      const filtered = over ? undefined : filterJsonBody(Buffer.concat(chunks), options.fields);
      if (!filtered) {
        options.onFailed();
        callback(null, failClosed(exchange, head));
        return;
      }
      head.headers['content-length'] = String(filtered.length);
      const etag = headerValue(head.headers, 'etag');
      if (etag !== undefined) head.headers['etag'] = weakenEtag(etag);
      callback(null, filtered);
    },
  });
}
