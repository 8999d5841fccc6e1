import { Writable, type Transform } from 'node:stream';
import { formatTraceparent } from '@edge/observability';
import type { Exchange, ResponseFilter, ResponseHead } from './exchange';
import { mergeVary } from './http/header-values';

/** Adds a header every response of the exchange carries; `vary` values accumulate in one entry. */
export function addResponseHeader(exchange: Exchange, name: string, value: string): void {
  if (name === 'vary') {
    const existing = exchange.responseHeaders.find(([n]) => n === 'vary');
    if (existing) {
      existing[1] = mergeVary(existing[1], value);
      return;
    }
  }
  exchange.responseHeaders.push([name, value]);
}

/** The exchange-wide headers (after the filters: a cache never stores them) and correlation. */
export function finalHeaders(exchange: Exchange, head: ResponseHead): Record<string, string | string[]> {
  const headers = head.headers;
  for (const [name, value] of exchange.responseHeaders) {
    if (name === 'vary') headers['vary'] = mergeVary(headers['vary'], value);
    else headers[name] = value;
  }
  headers['x-request-id'] = exchange.requestId;
  headers['traceresponse'] = formatTraceparent(exchange.trace.traceId, exchange.trace.spanId, exchange.trace.flags);
  return headers;
}

/** Writes the head with the first body chunk (or at the end), so transforms may still change it. */
class DeferredHeadSink extends Writable {
  private written = false;

  constructor(
    private readonly exchange: Exchange,
    private readonly head: ResponseHead,
  ) {
    super();
  }

  private commit(): void {
    if (this.written) return;
    this.written = true;
    this.exchange.res.writeHead(this.head.status, finalHeaders(this.exchange, this.head));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.commit();
    if (this.exchange.res.write(chunk)) callback();
    else this.exchange.res.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.commit();
    this.exchange.res.end(() => callback());
  }
}

/**
 * Runs the response filters on a head (upstream's, a cache entry's, an aggregate's), writes
 * it (now, or deferred when a filter asked) and returns where the body goes: the first body
 * transform, or the client response. A failing transform or a client going away tears the
 * whole chain down, so the client sees a cut response rather than a hanging one.
 */
export function commitHead(exchange: Exchange, head: ResponseHead, filters: readonly ResponseFilter[] = exchange.responseFilters): Writable {
  const stages: Transform[] = [];
  for (const filter of filters) {
    const t = filter(exchange, head);
    if (t) stages.push(t);
  }
  const res = exchange.res;
  let sink: Writable;
  if (head.deferred && stages.length > 0) sink = new DeferredHeadSink(exchange, head);
  else {
    res.writeHead(head.status, finalHeaders(exchange, head));
    sink = res;
  }
  if (stages.length === 0) return sink;
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i] as Transform;
    stage.pipe(sink);
    sink = stage;
  }
  const teardown = () => {
    for (const s of stages) s.destroy();
    if (!res.writableFinished) res.destroy();
  };
  for (const s of stages) s.once('error', teardown);
  res.once('close', () => {
    if (!res.writableFinished) for (const s of stages) s.destroy();
  });
  return sink;
}

/** A complete response written by a stage that answered the request itself (preflight, cache hit). */
export function writeResponse(
  exchange: Exchange,
  head: ResponseHead,
  body?: Buffer,
  filters: readonly ResponseFilter[] = [],
): void {
  const sink = commitHead(exchange, head, filters);
  if (body && exchange.method !== 'HEAD') sink.end(body);
  else sink.end();
}
