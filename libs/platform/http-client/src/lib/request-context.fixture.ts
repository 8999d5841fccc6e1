import { Logger } from '@nestjs/common';
import { runWithRequestContext, traceContextFrom, type RequestContext } from '@edge/observability';
import { startEchoUpstream, type EchoUpstream } from '@edge/testing';
import { HttpClient } from './http-client';
import type { HttpClientOptions } from './http-client.options';

// Tests assert on behaviour, not on log lines (they spy on Logger where logging is the behaviour).
Logger.overrideLogger(false);

export interface InboundRequest {
  context: RequestContext;
  /** Simulates the client going away. */
  abort(): void;
}

/** A simulated inbound request: what the platform's request-context hook would open. */
export function inboundRequest(budgetMs: number, traceparent?: string): InboundRequest {
  const controller = new AbortController();
  const now = Date.now();
  const context: RequestContext = {
    requestId: `req-${Math.random().toString(36).slice(2, 10)}`,
    trace: traceContextFrom(traceparent, traceparent ? 'vendor=abc' : undefined),
    deadline: now + budgetMs,
    startedAt: now,
    signal: controller.signal,
  };
  return { context, abort: () => controller.abort(new Error('client disconnected')) };
}

export function within<T>(request: InboundRequest, fn: () => Promise<T>): Promise<T> {
  return runWithRequestContext(request.context, fn);
}

/** A settled promise's rejection, for assertions (fails the test if it resolved). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

export async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let counter = 0;

/** A real loopback upstream and a client for it, with fast, quiet defaults for tests. */
export async function clientAndUpstream(overrides: Partial<HttpClientOptions> = {}): Promise<{ upstream: EchoUpstream; client: HttpClient; close(): Promise<void> }> {
  const upstream = await startEchoUpstream();
  const client = new HttpClient({
    name: `dep-${++counter}`,
    baseUrl: upstream.url,
    timeoutMs: 1_000,
    ...overrides,
    retries: { baseDelayMs: 1, maxDelayMs: 5, ...overrides.retries },
    breaker: { volumeThreshold: 1_000, ...overrides.breaker },
  });
  return {
    upstream,
    client,
    close: async () => {
      await upstream.close();
      await client.close();
    },
  };
}
