import { Transform } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { CompiledCompressionPolicy } from '@edge/gateway-config';
import type { Exchange, ResponseHead } from '../exchange';
import { negotiateEncoding, type Coding } from '../http/accept-encoding';
import { parseCacheControl } from '../http/cache-control';
import { weakenEtag } from '../http/conditional';
import { headerValue, mergeVary } from '../http/header-values';

/**
 * Decides (and announces in the head) whether this response is compressed: never for HEAD,
 * bodiless statuses, excluded or already-compressed types, responses the upstream encoded
 * itself, `no-transform`, or declared lengths under minBytes. Every response that *could*
 * be compressed gets `Vary: Accept-Encoding`, whatever this client accepted.
 */
export function chooseCoding(exchange: Exchange, head: ResponseHead, policy: CompiledCompressionPolicy): Coding | undefined {
  if (exchange.method === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 206 || head.status === 304) return undefined;
  const headers = head.headers;
  if (!policy.compressible(headerValue(headers, 'content-type'))) return undefined;
  const existing = headerValue(headers, 'content-encoding');
  if (existing !== undefined && existing.trim().toLowerCase() !== 'identity') return undefined;
  if (parseCacheControl(headerValue(headers, 'cache-control')).has('no-transform')) return undefined;
  const length = headerValue(headers, 'content-length');
  if (length !== undefined && Number(length) < policy.minBytes) return undefined;
  headers['vary'] = mergeVary(headers['vary'], 'Accept-Encoding');
  const coding = negotiateEncoding(headerValue(exchange.req.headers, 'accept-encoding'), policy.encodings);
  if (!coding) return undefined;
  headers['content-encoding'] = coding;
  delete headers['content-length'];
  delete headers['accept-ranges'];
  const etag = headerValue(headers, 'etag');
  if (etag !== undefined) headers['etag'] = weakenEtag(etag);
  return coding;
}

function encoder(coding: Coding, sizeHint: number | undefined): Transform {
  if (coding === 'gzip') return createGzip({ level: 6 });
  // Quality 4: close to gzip's speed with better ratios; 11 (the default) is for static assets.
  const params: Record<number, number> = { [constants.BROTLI_PARAM_QUALITY]: 4 };
  if (sizeHint !== undefined) params[constants.BROTLI_PARAM_SIZE_HINT] = sizeHint;
  return createBrotliCompress({ params });
}

/**
 * Decides when the first chunk (or the end) arrives: used when the head is deferred, since an
 * earlier transform (JSON filtering) still fixes the length, or may replace the response.
 */
class LateCompression extends Transform {
  private decided = false;
  private encoder: Transform | undefined;

  constructor(
    private readonly exchange: Exchange,
    private readonly head: ResponseHead,
    private readonly policy: CompiledCompressionPolicy,
  ) {
    super();
  }

  private decide(): void {
    if (this.decided) return;
    this.decided = true;
    const length = headerValue(this.head.headers, 'content-length');
    const coding = chooseCoding(this.exchange, this.head, this.policy);
    if (!coding) return;
    this.encoder = encoder(coding, length !== undefined ? Number(length) : undefined);
    this.encoder.on('data', (d: Buffer) => this.push(d));
    this.encoder.on('error', (e) => this.destroy(e));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.decide();
    if (this.encoder) this.encoder.write(chunk, () => callback());
    else callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void): void {
    this.decide();
    if (!this.encoder) return callback();
    this.encoder.once('end', () => callback());
    this.encoder.end();
  }
}

/** The compression filter of a route (order: transforms → cache writer → compression). */
export function compressionFilter(policy: CompiledCompressionPolicy | null): ((exchange: Exchange, head: ResponseHead) => Transform | undefined) | null {
  if (!policy) return null;
  return (exchange, head) => {
    if (head.deferred) return new LateCompression(exchange, head, policy);
    const length = headerValue(head.headers, 'content-length');
    const coding = chooseCoding(exchange, head, policy);
    return coding ? encoder(coding, length !== undefined ? Number(length) : undefined) : undefined;
  };
}
