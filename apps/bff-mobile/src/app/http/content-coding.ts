import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Coding = 'br' | 'gzip';

/** Below this, headers and CPU cost more than the bytes saved. */
export const COMPRESS_MIN_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/**
 * The coding to use for an Accept-Encoding header: br, else gzip, honouring q=0 refusals
 * (RFC 9110 §12.5.3); undefined for identity.
 */
export function chooseCoding(acceptEncoding: string | string[] | undefined): Coding | undefined {
  if (acceptEncoding === undefined) return undefined;
  const q = new Map<string, number>();
  for (const entry of (Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding).split(',')) {
    const [name = '', ...params] = entry.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = weight === undefined ? 1 : Number(weight.slice(2));
    if (name) q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weightOf = (coding: string) => q.get(coding) ?? (q.has('*') ? (q.get('*') as number) : 0);
  if (weightOf('br') > 0) return 'br';
  if (weightOf('gzip') > 0) return 'gzip';
  return undefined;
}

/** Compressed off the event loop (zlib's thread pool); brotli at a speed-oriented quality. */
export function encode(payload: string | Buffer, coding: Coding): Promise<Buffer> {
  return coding === 'br'
    ? brotli(payload, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(payload) } })
    : gz(payload, { level: 6 });
}
