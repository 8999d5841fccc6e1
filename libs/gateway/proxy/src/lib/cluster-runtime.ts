import CircuitBreaker from 'opossum';
import { Pool } from 'undici';
import { Writable, type Readable } from 'node:stream';
import { UpstreamAttempt, type AttemptOutcome } from './upstream-attempt';
import { Bulkhead } from './bulkhead';
import { DeadlineQueue } from './deadline-queue';
import type { ClusterObserver } from './cluster-observer';
import type { ClusterSettings, RetryOn } from './cluster-settings';
import { createDestination, type DestinationState } from './destination';
import { sanitizeResponseHeaders } from './header-hygiene';
import { createBalancer, type Balancer } from './load-balancer';
import { OutlierDetector } from './outlier-detection';
import { classifyTransportError, ProxyError } from './proxy-error';
import { RetryBudget } from './retry-budget';

export interface ForwardInput {
  method: string;
  /** Upstream path and query, already rewritten and normalised. */
  path: string;
  /** Flat [name, value, ...] headers to send (sanitised, plus what the gateway adds). */
  headers: string[];
  /** Streamed request body, a replayable buffer, or none. */
  body: Readable | Buffer | null;
  /** May this request be sent more than once (idempotent or keyed, and replayable)? */
  retryable: boolean;
  /** The route's cap on attempts (the cluster's own applies when absent). */
  maxAttempts?: number;
  /** Epoch ms by which the response head must have arrived, retries included. */
  deadline: number;
  /**
   * The client's side (its response): when it closes before it finished, the client went
   * away and the upstream request is cancelled. Watched with one listener, not an AbortSignal:
   * this runs on every request.
   */
  client?: ClientSide;
  /**
   * Called as each attempt starts (a client span per attempt: it may rewrite the traceparent
   * in `headers`); the returned function is called with the attempt's outcome.
   */
  attemptStarted?(attempt: number, destination: string): (outcome: number | string) => void;
  /** Called once with the response head that goes to the client; returns where the body goes. */
  respond(status: number, headers: Record<string, string | string[]>): Writable;
}

export interface ForwardResult {
  status: number;
  destination: string;
  attempts: number;
  /** Error while streaming the body after the head was sent (the client response was cut). */
  bodyError?: ProxyError;
}

export interface ClientSide {
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  on(event: 'close', listener: () => void): unknown;
  removeListener(event: 'close', listener: () => void): unknown;
}

class StatusFailure extends Error {
  constructor(readonly outcome: AttemptOutcome) {
    super(`upstream answered ${outcome.status}`);
  }
}

const clientGone = () => new ProxyError('client-aborted', 'client closed the request');

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

const statusRetryOn = (status: number): RetryOn | undefined => (status === 502 ? '502' : status === 503 ? '503' : status === 504 ? '504' : undefined);
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The upstream's response headers as the client gets them: hop-by-hop ones dropped, and no
 * Content-Length on a 204 (RFC 9110 §8.6: it has no content; a client trusting the length
 * would wait for bytes that never come).
 */
function responseHeaders(statusCode: number, headers: Parameters<typeof sanitizeResponseHeaders>[0]): Record<string, string | string[]> {
  const clean = sanitizeResponseHeaders(headers);
  if (statusCode === 204 && clean['content-length'] !== undefined) delete clean['content-length'];
  return clean;
}

/**
 * One cluster at run time: keep-alive pools per destination, load balancing with passive
 * outlier ejection, a concurrency limit, one opossum breaker (4xx never count), and retries
 * that are budgeted, jittered and never outlive the deadline. Built once per config
 * version; a reload that does not change a cluster keeps its runtime (and pools).
 */
export class ClusterRuntime {
  readonly destinations: DestinationState[];
  private readonly pools = new Map<DestinationState, Pool>();
  private readonly balancer: Balancer;
  private readonly outliers: OutlierDetector;
  private readonly bulkhead?: Bulkhead;
  private readonly budget?: RetryBudget;
  private readonly breaker?: CircuitBreaker<[UpstreamAttempt], AttemptOutcome>;
  private openedAt = 0;
  private healthTimer?: NodeJS.Timeout;
  /** Per-try time limits of the attempts in flight (one timer for all of them). */
  private readonly deadlines = new DeadlineQueue();

  constructor(
    readonly settings: ClusterSettings,
    private readonly observer: ClusterObserver,
  ) {
    this.destinations = settings.destinations.map((d) => createDestination(d.id, d.url, d.weight));
    for (const d of this.destinations) {
      this.pools.set(
        d,
        new Pool(d.url.origin, {
          connections: settings.pool.connections,
          pipelining: settings.pool.pipelining,
          keepAliveTimeout: settings.pool.keepAliveTimeoutMs,
          connect: { timeout: settings.timeouts.connectMs },
          headersTimeout: 0, // per-attempt timers and the deadline own this (undici's timers are coarse)
          bodyTimeout: settings.timeouts.bodyIdleMs,
        }),
      );
    }
    this.balancer = createBalancer(settings.loadBalancing);
    this.outliers = new OutlierDetector(this.destinations, settings.outlier);
    if (settings.concurrency) this.bulkhead = new Bulkhead(settings.concurrency);
    if (settings.retries) this.budget = new RetryBudget(settings.retries.budget);
    if (settings.breaker) {
      const b = settings.breaker;
      this.breaker = new CircuitBreaker((attempt: UpstreamAttempt) => attempt.start(), {
        name: settings.id,
        timeout: false,
        errorThresholdPercentage: b.errorThresholdPercentage,
        volumeThreshold: b.volumeThreshold,
        rollingCountTimeout: b.rollingCountTimeoutMs,
        rollingCountBuckets: 10,
        // Latency percentiles are not used for decisions; computing them costs on every call.
        rollingPercentilesEnabled: false,
        // Nothing reads opossum's per-bucket snapshots (metrics read the breaker's state).
        enableSnapshots: false,
        resetTimeout: b.resetTimeoutMs,
        // Client errors and cancellations say nothing about the upstream's health.
        errorFilter: (err: unknown) => err instanceof ProxyError && err.kind === 'client-aborted',
      });
      this.breaker.on('open', () => {
        this.openedAt = Date.now();
        observer.breakerState(settings.id, 'open');
      });
      this.breaker.on('halfOpen', () => observer.breakerState(settings.id, 'half-open'));
      this.breaker.on('close', () => observer.breakerState(settings.id, 'closed'));
    }
    if (settings.healthCheck) this.startHealthChecks(settings.healthCheck);
  }

  get breakerState(): 'closed' | 'half-open' | 'open' {
    if (!this.breaker) return 'closed';
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  stats() {
    let connected = 0;
    let pending = 0;
    let running = 0;
    for (const pool of this.pools.values()) {
      connected += pool.stats.connected;
      pending += pool.stats.pending;
      running += pool.stats.running;
    }
    return {
      connected,
      pending,
      running,
      inFlight: this.bulkhead?.inFlight ?? running,
      queued: this.bulkhead?.queued ?? 0,
      ejected: this.outliers.ejectedCount(Date.now()),
    };
  }

  async forward(input: ForwardInput): Promise<ForwardResult> {
    if (this.bulkhead) {
      const slot = this.bulkhead.acquire();
      if (slot !== true) await slot;
    }
    this.budget?.requestStarted();
    // The attempt in flight: a per-try timer or the client going away aborts it.
    let current: UpstreamAttempt | undefined;
    let gone = false;
    const client = input.client;
    const onClientClose = () => {
      if (client?.writableFinished) return;
      gone = true;
      current?.abort(clientGone());
    };
    client?.on('close', onClientClose); // removed below: no once() wrapper needed
    let holdingRetry = false;
    try {
      for (let attempt = 0; ; attempt++) {
        if (gone || (client?.destroyed && !client.writableFinished)) throw clientGone();
        if (this.breaker?.opened) {
          const waitMs = this.settings.breaker ? this.openedAt + this.settings.breaker.resetTimeoutMs - Date.now() : 5000;
          throw new ProxyError('circuit-open', `circuit of ${this.settings.id} is open`, Math.max(1, waitMs / 1000));
        }
        const now = Date.now();
        const remaining = input.deadline - now;
        if (remaining <= 0) throw new ProxyError('timeout', 'deadline exceeded before the upstream answered');
        const destination = this.balancer(this.outliers.available(now)) as DestinationState;
        const mayRetry = this.canRetry(input, attempt);
        const perTry = this.settings.timeouts.perTryMs;
        const timeoutMs = Math.min(remaining, perTry);
        const upstream = (current = this.prepare(destination, input, attempt, mayRetry, timeoutMs));
        this.deadlines.add(upstream);
        let outcome: AttemptOutcome | undefined;
        let failure: ProxyError | undefined;
        try {
          outcome = await (this.breaker ? this.breaker.fire(upstream) : upstream.start());
        } catch (error) {
          if (error instanceof StatusFailure) outcome = error.outcome;
          else if (this.breaker && CircuitBreaker.isOurError(error as Error)) failure = new ProxyError('circuit-open', 'circuit open', 5);
          else failure = classifyTransportError(error);
        } finally {
          this.deadlines.remove(upstream);
        }
        if (holdingRetry) {
          this.budget?.retryFinished();
          holdingRetry = false;
        }
        if (outcome?.committed) return await this.finish(outcome, destination, attempt);
        if (outcome) {
          holdingRetry = true; // the retry token was taken when the head was seen
          this.observer.retry(this.settings.id, String(outcome.status));
        } else {
          const f = failure as ProxyError;
          // A per-try timeout (not the overall deadline) counts as a 504 for the retry policy.
          const reason = f.kind === 'connect-failure' ? 'connect-failure' : f.kind === 'reset' ? 'reset' : f.kind === 'timeout' && perTry < remaining ? '504' : undefined;
          if (!mayRetry || !reason || !this.settings.retries?.on.has(reason) || !this.budget?.tryStartRetry()) throw f;
          holdingRetry = true;
          this.observer.retry(this.settings.id, f.kind);
        }
        const backoff = this.backoff(attempt);
        if (Date.now() + backoff >= input.deadline) throw new ProxyError('timeout', 'no time left for another attempt');
        if (backoff > 0) await delay(backoff);
      }
    } finally {
      client?.removeListener('close', onClientClose);
      if (holdingRetry) this.budget?.retryFinished();
      this.budget?.requestFinished();
      this.bulkhead?.release();
    }
  }

  private canRetry(input: ForwardInput, attempt: number): boolean {
    const retries = this.settings.retries;
    return input.retryable && retries !== undefined && attempt + 1 < Math.min(retries.attempts, input.maxAttempts ?? Infinity);
  }

  /** Full jitter (AWS architecture blog): uniform in [0, min(max, base·2^n)]. */
  private backoff(attempt: number): number {
    const r = this.settings.retries;
    if (!r) return 0;
    return Math.floor(Math.random() * Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** attempt));
  }

  private async finish(outcome: AttemptOutcome, destination: DestinationState, attempt: number): Promise<ForwardResult> {
    const result: ForwardResult = { status: outcome.status, destination: destination.id, attempts: attempt + 1 };
    try {
      await outcome.done;
    } catch (error) {
      result.bodyError = classifyTransportError(error);
    }
    return result;
  }

  /**
   * One attempt with its per-try time limit, not yet sent: `start()` dispatches it and resolves when the response head
   * is known (rejecting with StatusFailure on 5xx, so the breaker counts it). The outcome's
   * `done` settles when the body has gone to its sink.
   */
  private prepare(destination: DestinationState, input: ForwardInput, attempt: number, mayRetry: boolean, timeoutMs: number): UpstreamAttempt {
    const pool = this.pools.get(destination) as Pool;
    const retryOn = this.settings.retries?.on;
    let started = 0;
    let ended: ((outcome: number | string) => void) | undefined;
    return new UpstreamAttempt(input.body, {
      dispatch: (upstream) => {
        started = performance.now();
        ended = input.attemptStarted?.(attempt, destination.id);
        destination.active++;
        pool.dispatch(upstream.options({ path: input.path, method: input.method, headers: input.headers, body: input.body }), upstream);
      },
      // Called once, when the head arrives: decide here, synchronously, where the body goes.
      head: (statusCode, headers) => {
        // RFC 9110 §15: a status is 100–599. Passing 600–999 on (Node would write it) hands
        // clients something they may not parse; it is the upstream's protocol error (502).
        if (statusCode > 599) throw new ProxyError('protocol', `upstream answered status ${statusCode}`);
        const retry = statusCode >= 502 && statusCode <= 504 && mayRetry && retryOn?.has(statusRetryOn(statusCode) as RetryOn) === true && this.budget?.tryStartRetry() === true;
        const sink = retry ? discard() : input.respond(statusCode, responseHeaders(statusCode, headers));
        return { sink, committed: !retry, failure: statusCode >= 500 ? (outcome: AttemptOutcome) => new StatusFailure(outcome) : undefined };
      },
      settled: (status) => {
        destination.active--;
        ended?.(status);
        this.observer.attempt(this.settings.id, destination.id, status, (performance.now() - started) / 1000, attempt);
        if (status >= 500) this.recordFailure(destination);
        else this.outliers.onSuccess(destination);
      },
      failed: (failure) => {
        destination.active--;
        ended?.(failure.kind);
        this.observer.attempt(this.settings.id, destination.id, failure.kind, (performance.now() - started) / 1000, attempt);
        if (failure.kind !== 'client-aborted') this.recordFailure(destination);
      },
    }, timeoutMs);
  }

  private recordFailure(destination: DestinationState): void {
    if (this.outliers.onFailure(destination, Date.now())) this.observer.ejected(this.settings.id, destination.id, true);
  }

  private startHealthChecks(check: { path: string; intervalMs: number; timeoutMs: number }): void {
    const probe = async () => {
      await Promise.all(
        this.destinations.map(async (d) => {
          try {
            const res = await (this.pools.get(d) as Pool).request({ path: check.path, method: 'GET', headersTimeout: check.timeoutMs, bodyTimeout: check.timeoutMs });
            await res.body.dump();
            d.healthy = res.statusCode >= 200 && res.statusCode < 300;
          } catch {
            d.healthy = false;
          }
        }),
      );
    };
    this.healthTimer = setInterval(() => void probe(), check.intervalMs);
    this.healthTimer.unref();
    void probe();
  }

  /** Stops health checks and closes pools once their in-flight requests are done. */
  async close(): Promise<void> {
    if (this.healthTimer) clearInterval(this.healthTimer);
    this.breaker?.shutdown();
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}
