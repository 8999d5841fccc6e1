import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { DependencyBreaker, type BreakerState } from './breaker';
import { Bulkhead, BulkheadRejected } from './bulkhead';
import { ClientMetrics } from './client-metrics';
import { CallScope, sleep } from './deadline';
import { resolveHttpClientOptions, type HttpClientOptions, type ResolvedHttpClientOptions } from './http-client.options';
import { currentRequestContext, REQUEST_ID_HEADER, REQUEST_TIMEOUT_HEADER, startSpan, type RequestContext } from '@edge/observability';
import { decodeBody, decodeErrorBody, InvalidJsonBody } from './response-body';
import { RetryBudget } from './retry-budget';
import { backoffDelay, isRetryableRequest, isTransientFailure } from './retry-policy';
import { SafeUrl, type PathParams, type QueryParams } from './safe-url';
import { exchange, ResponseTooLarge } from './transport';
import { transportFailureKind } from './transport-failure';
import { UnsafeRequestError, UpstreamError, type UpstreamFailureKind } from './upstream-error';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RequestOptions {
  /** Values for the template's `:name` segments; each is checked and percent-encoded. */
  params?: PathParams;
  /** Query string; arrays repeat the key; undefined values are left out. */
  query?: QueryParams;
  /** Extra request headers. Hop-by-hop, Host and Content-Length are refused; tracing headers are ours. */
  headers?: Readonly<Record<string, string>>;
  /** JSON-serialised unless a string (text/plain) or bytes (application/octet-stream). */
  body?: unknown;
  /** Sent as `Idempotency-Key`; makes a POST/PATCH retryable. */
  idempotencyKey?: string;
  /** Aborts the call (in addition to the inbound request's own signal). */
  signal?: AbortSignal;
  /** A tighter deadline for this call only (ms from now); the dependency's timeout still caps it. */
  timeoutMs?: number;
  /** …or as an absolute epoch-ms deadline (e.g. a composed part's share of the endpoint budget). */
  deadline?: number;
}

export interface HttpResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or text for non-JSON, undefined when empty). The type is the caller's claim. */
  body: T;
}

export interface HttpStreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Consume or destroy it: its bulkhead slot and deadline timer are held until it closes. */
  body: Readable;
}

type Mode = 'json' | 'stream';

interface PreparedCall {
  method: HttpMethod;
  template: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  retryable: boolean;
  mode: Mode;
  spanName: string;
  /** How long this call's last answered attempt took (ms): the best guess for the next one. */
  lastAttemptMs: number;
}

const REFUSED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length']);
const LATENCY_WEIGHT = 0.2;

function whenClosed(stream: Readable, done: () => void): void {
  if (stream.closed) done();
  else stream.once('close', done);
}

/**
 * The client for one dependency: every call is confined to the base URL, bounded by a
 * deadline, cancelled with the inbound request, retried only when safe and within budget,
 * guarded by the dependency's bulkhead and circuit breaker, traced and measured per attempt.
 * Non-2xx answers and failures are thrown as UpstreamError (a problem: 502/503/504, or the
 * upstream's 4xx by status); bugs in the request (escaping paths, bad headers) as
 * UnsafeRequestError (500).
 *
 * Layers, outermost first: deadline scope → retry loop (budget) → bulkhead → breaker → attempt.
 */
export class HttpClient implements OnApplicationShutdown {
  readonly name: string;
  readonly options: ResolvedHttpClientOptions;
  private readonly pool: Pool;
  private readonly url: SafeUrl;
  private readonly breaker: DependencyBreaker<[PreparedCall, CallScope, number], HttpResponse<unknown> | HttpStreamResponse>;
  private readonly bulkhead: Bulkhead;
  private readonly budget: RetryBudget;
  private readonly metrics: ClientMetrics;
  private readonly logger = new Logger('HttpClient');
  private readonly serverAddress: string;
  /** Recent typical answer latency (ms, EWMA): no retry starts with less budget left than this. */
  private latencyMs = 0;

  constructor(options: HttpClientOptions) {
    this.options = resolveHttpClientOptions(options);
    const o = this.options;
    this.name = o.name;
    this.url = new SafeUrl(o.name, o.baseUrl);
    this.serverAddress = new URL(o.baseUrl).host;
    this.pool = new Pool(this.url.origin, { connections: o.connections, pipelining: 1 });
    this.breaker = new DependencyBreaker(o.name, o.breaker, (call: PreparedCall, scope: CallScope, resendCount: number) => this.send(call, scope, resendCount));
    this.bulkhead = new Bulkhead(o.bulkhead);
    this.budget = new RetryBudget({ ratio: o.retries.budgetRatio, minPerSecond: o.retries.minRetriesPerSecond, windowMs: o.retries.budgetWindowMs });
    this.metrics = new ClientMetrics(o.name);
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  get<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, options);
  }

  post<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, options);
  }

  put<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PUT', path, options);
  }

  patch<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('PATCH', path, options);
  }

  delete<T = unknown>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request<T>('DELETE', path, options);
  }

  /** Any method; resolves for 2xx only, throws UpstreamError otherwise. */
  request<T = unknown>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.execute(method, path, options, 'json') as Promise<HttpResponse<T>>;
  }

  /**
   * Like `request`, but hands over the 2xx body as a stream (proxying, large payloads).
   * Retries happen only before the headers arrive; the deadline keeps running until the body closes.
   */
  stream(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<HttpStreamResponse> {
    return this.execute(method, path, options, 'stream') as Promise<HttpStreamResponse>;
  }

  /** Waits for calls in flight, then closes the connections and the breaker's timers. */
  async close(): Promise<void> {
    await this.pool.close();
    this.breaker.shutdown();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private prepare(method: HttpMethod, template: string, options: RequestOptions, mode: Mode): PreparedCall {
    const path = this.url.build(template, options.params, options.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.headers !== undefined) {
      for (const name of Object.keys(options.headers)) {
        const key = name.toLowerCase();
        if (REFUSED_HEADERS.has(key)) throw new UnsafeRequestError(this.name, `header ${key} may not be set by the caller`);
        headers[key] = options.headers[name] as string;
      }
    }
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | Uint8Array | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === 'string') {
        body = options.body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else if (options.body instanceof Uint8Array) {
        body = options.body;
        headers['content-type'] ??= 'application/octet-stream';
      } else {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const retryable = isRetryableRequest(method, headers['idempotency-key'] !== undefined);
    return { method, template, path, headers, body, retryable, mode, spanName: `${method} ${template}`, lastAttemptMs: 0 };
  }

  private async execute(method: HttpMethod, template: string, options: RequestOptions, mode: Mode): Promise<HttpResponse<unknown> | HttpStreamResponse> {
    const call = this.prepare(method, template, options, mode);
    const context = currentRequestContext();
    const now = Date.now();
    const scope = new CallScope({
      timeoutMs: this.options.timeoutMs,
      inboundDeadline: context?.deadline,
      inboundSignal: context?.signal,
      deadline: options.timeoutMs !== undefined ? Math.min(now + options.timeoutMs, options.deadline ?? Infinity) : options.deadline,
      signal: options.signal,
      now,
    });
    if (context !== undefined) {
      call.headers[REQUEST_ID_HEADER] = context.requestId;
      if (context.trace.tracestate !== undefined) call.headers['tracestate'] = context.trace.tracestate;
    }
    let handedOff = false;
    let attempts = 0;
    try {
      if (this.options.authorize !== undefined) await this.authorize(call, context, scope);
      this.budget.recordCall(now);
      for (;;) {
        try {
          const response = await this.attempt(call, scope, attempts);
          attempts++;
          this.metrics.call('success');
          if (call.mode === 'stream') {
            handedOff = true;
            whenClosed((response as HttpStreamResponse).body, () => scope.close());
          }
          return response;
        } catch (error) {
          const failure = this.failure(error, call, scope, attempts);
          if (failure.kind !== 'circuit-open' && failure.kind !== 'overloaded') attempts++;
          const delay = this.retryDelay(failure, call, scope, attempts);
          if (delay === undefined) throw this.giveUp(failure);
          try {
            await sleep(delay, scope.signal);
          } catch (aborted) {
            throw this.giveUp(this.failure(aborted, call, scope, attempts));
          }
        }
      }
    } finally {
      if (!handedOff) scope.close();
    }
  }

  private async authorize(call: PreparedCall, request: RequestContext | undefined, scope: CallScope): Promise<void> {
    const hook = this.options.authorize;
    if (hook === undefined || call.headers['authorization'] !== undefined) return;
    const value = await hook({ dependency: this.name, method: call.method, path: call.template, request, signal: scope.signal });
    if (value !== undefined) call.headers['authorization'] = value;
  }

  /** One attempt through the bulkhead and the breaker. */
  private async attempt(call: PreparedCall, scope: CallScope, resendCount: number): Promise<HttpResponse<unknown> | HttpStreamResponse> {
    if (scope.signal.aborted) throw scope.signal.reason;
    if (!this.bulkhead.tryAcquire()) await this.bulkhead.acquire(scope.signal, scope.remaining());
    let handedOff = false;
    try {
      const response = await this.breaker.fire(call, scope, resendCount);
      if (call.mode === 'stream') {
        handedOff = true;
        whenClosed((response as HttpStreamResponse).body, () => this.bulkhead.release());
      }
      return response;
    } finally {
      if (!handedOff) this.bulkhead.release();
    }
  }

  /** The exchange itself: a child span, the propagation headers, undici, and one metric sample. */
  private async send(call: PreparedCall, scope: CallScope, resendCount: number): Promise<HttpResponse<unknown> | HttpStreamResponse> {
    const span = startSpan(call.spanName, 'client', {
      'http.request.method': call.method,
      'url.template': call.template,
      'server.address': this.serverAddress,
      'peer.service': this.name,
      'http.request.resend_count': resendCount > 0 ? resendCount : undefined,
    });
    const started = performance.now();
    const request = {
      method: call.method,
      path: call.path,
      headers: { ...call.headers, traceparent: span.traceparent, [REQUEST_TIMEOUT_HEADER]: String(scope.remaining()) },
      body: call.body,
    };
    let status: number | undefined;
    let failed = true;
    let handedOff = false;
    const finish = () => {
      this.metrics.attempt(call.method, status, resendCount, (performance.now() - started) / 1000);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      span.end({ error: failed });
    };
    try {
      let headers: IncomingHttpHeaders;
      let text: string;
      if (call.mode === 'stream') {
        const response = await this.pool.request({ ...request, signal: scope.signal });
        status = response.statusCode;
        headers = response.headers;
        if (status >= 200 && status < 300) {
          failed = false;
          handedOff = true;
          whenClosed(response.body, finish);
          return { status, headers, body: response.body };
        }
        text = await response.body.text();
      } else {
        const answer = await exchange(this.pool, request, scope, this.options.maxResponseBytes);
        status = answer.status;
        headers = answer.headers;
        text = answer.body.toString('utf8');
      }
      this.observeLatency(call, started);
      if (status >= 200 && status < 300) {
        const body = decodeBody(text, headers);
        failed = false;
        return { status, headers, body };
      }
      const upstream = { status, headers, body: decodeErrorBody(text, headers) };
      throw new UpstreamError({ dependency: this.name, kind: 'status', method: call.method, path: call.template, attempts: resendCount + 1, upstream });
    } catch (error) {
      const failure = this.failure(error, call, scope, resendCount + 1);
      span.setAttribute('error.type', failure.kind === 'status' ? String(status) : failure.kind);
      throw failure;
    } finally {
      if (!handedOff) finish();
    }
  }

  /** How long the dependency takes to answer at all (any status): a retry needs at least that much budget. */
  private observeLatency(call: PreparedCall, started: number): void {
    const ms = performance.now() - started;
    call.lastAttemptMs = ms;
    this.latencyMs = this.latencyMs === 0 ? ms : this.latencyMs + LATENCY_WEIGHT * (ms - this.latencyMs);
  }

  /** Maps anything an attempt threw to an UpstreamError; bugs are rethrown as they are. */
  private failure(error: unknown, call: PreparedCall, scope: CallScope, attempts: number): UpstreamError {
    if (error instanceof UpstreamError) return error;
    let kind: UpstreamFailureKind | undefined;
    let retryAfterSeconds: number | undefined;
    const refusal = this.breaker.refusal(error);
    if (refusal !== undefined) {
      kind = 'circuit-open';
      retryAfterSeconds = refusal.retryAfterSeconds;
    } else if (error instanceof BulkheadRejected) {
      kind = 'overloaded';
    } else if (error instanceof InvalidJsonBody || error instanceof ResponseTooLarge) {
      kind = 'protocol';
    } else {
      // Whatever undici threw after our signal aborted is the abort's doing.
      kind = scope.abortedBecause ?? transportFailureKind(error);
    }
    if (kind === undefined) throw error;
    return new UpstreamError({ dependency: this.name, kind, method: call.method, path: call.template, attempts, retryAfterSeconds, cause: error });
  }

  /** The backoff before the next attempt, or undefined when this failure is final. */
  private retryDelay(failure: UpstreamError, call: PreparedCall, scope: CallScope, attempts: number): number | undefined {
    const retries = this.options.retries;
    if (!call.retryable || attempts >= retries.attempts || !isTransientFailure(failure)) return undefined;
    const delay = backoffDelay(attempts, retries.baseDelayMs, retries.maxDelayMs);
    const now = Date.now();
    // Do not start an attempt that cannot finish: it would only add load and burn the budget.
    if (scope.remaining(now) - delay < Math.max(retries.minAttemptMs, this.latencyMs, call.lastAttemptMs)) {
      this.metrics.retry('denied-deadline');
      return undefined;
    }
    if (!this.budget.tryRetry(now)) {
      this.metrics.retry('denied-budget');
      return undefined;
    }
    this.metrics.retry('retried');
    return delay;
  }

  private giveUp(failure: UpstreamError): UpstreamError {
    this.metrics.call(failure.kind);
    const status = failure.upstream?.status;
    const unwell = failure.kind === 'connect' || failure.kind === 'reset' || failure.kind === 'protocol' || failure.kind === 'timeout' || (status !== undefined && status >= 500);
    const event = { dependency: this.name, kind: failure.kind, method: failure.method, path: failure.path, attempts: failure.attempts, status, err: failure.cause };
    if (unwell) this.logger.warn(event, failure.message);
    else this.logger.debug(event, failure.message);
    return failure;
  }
}
