import { sendProblem, ProblemException } from '@edge/problem-details';
import type { Exchange } from '../exchange';
import type { PolicyEngine } from '../policy-engine';
import { commitHead } from '../respond';
import type { FakeResponse } from './fake-response';

export interface FakeUpstreamResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A string/Buffer, or chunks sent one by one (no Content-Length unless given). */
  body?: string | Buffer | (string | Buffer)[];
  /** Adds Content-Length for string/Buffer bodies (default true). */
  contentLength?: boolean;
  delayMs?: number;
}

/** What a fake upstream sees: the forwarded header list after the exchange's request filters. */
export type FakeUpstream = (request: { headers: string[]; exchange: Exchange }) => FakeUpstreamResponse | 'fail' | Promise<FakeUpstreamResponse | 'fail'>;

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Drives an exchange the way the proxy handler does (the contract the lead wires): beforeAuth,
 * afterAuth, forwarded headers through `upstreamRequestFilters`, the upstream head through
 * `commitHead`, transport failures through `onUpstreamFailure`, problems rendered with the
 * exchange-wide headers. Resolves when the response is complete.
 */
export async function runExchange(engine: PolicyEngine, exchange: Exchange, upstream: FakeUpstream): Promise<FakeResponse> {
  const res = exchange.res as unknown as FakeResponse;
  try {
    if ((await engine.beforeAuth(exchange)) === 'handled') return await done(res);
    if ((await engine.afterAuth(exchange)) === 'handled') return await done(res);
    const headers: string[] = [];
    for (const [k, v] of Object.entries(exchange.req.headers)) if (typeof v === 'string') headers.push(k, v);
    headers.push('x-request-id', exchange.requestId);
    for (const filter of exchange.upstreamRequestFilters ?? []) filter(exchange, headers);
    const answer = await upstream({ headers, exchange });
    if (answer === 'fail') {
      if (exchange.onUpstreamFailure?.(502)) return await done(res);
      throw new ProblemException('bad-gateway');
    }
    if (answer.delayMs) await wait(answer.delayMs);
    const head = { status: answer.status, headers: { ...(answer.headers ?? {}) } };
    const body = answer.body;
    if (body !== undefined && !Array.isArray(body) && answer.contentLength !== false) head.headers['content-length'] = String(Buffer.byteLength(body));
    const sink = commitHead(exchange, head);
    if (Array.isArray(body)) {
      for (const chunk of body) {
        sink.write(chunk);
        await wait(1);
      }
      sink.end();
    } else sink.end(body);
  } catch (error) {
    if (!res.headersSent) for (const [name, value] of exchange.responseHeaders) res.setHeader(name, value);
    sendProblem(res as never, error, { requestId: exchange.requestId });
  }
  return done(res);
}

async function done(res: FakeResponse): Promise<FakeResponse> {
  if (!res.writableFinished && !res.destroyed) await res.finished;
  return res;
}
