import { Counter, Gauge } from 'prom-client';
import { FastHistogram, metricsRegistry, methodLabel, resendCountLabel, statusClass } from '@edge/observability';

/**
 * One sample per attempt: `resend_count` is 0 for the first attempt, 1 for the first retry…
 * Allocation-free on the hot path (FastHistogram).
 */
export const clientRequestDuration = new FastHistogram({
  name: 'http_client_request_duration_seconds',
  help: 'Duration of outbound HTTP attempts, by dependency, method, status class and resend count',
  labelNames: ['dependency', 'method', 'status_class', 'resend_count'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

/** One count per call (all its attempts), by how it ended: success or an UpstreamFailureKind. */
export const clientCalls = new Counter({
  name: 'http_client_calls_total',
  help: 'Outbound HTTP calls by dependency and outcome (success or failure kind)',
  labelNames: ['dependency', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const clientRetries = new Counter({
  name: 'http_client_retries_total',
  help: 'Retries made, and retries denied by the retry budget or the deadline',
  labelNames: ['dependency', 'decision'] as const,
  registers: [metricsRegistry],
});

export const breakerStateGauge = new Gauge({
  name: 'http_client_breaker_state',
  help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open',
  labelNames: ['dependency'] as const,
  registers: [metricsRegistry],
});

export const breakerTransitions = new Counter({
  name: 'http_client_breaker_transitions_total',
  help: 'Circuit breaker state changes per dependency, by the state entered',
  labelNames: ['dependency', 'to'] as const,
  registers: [metricsRegistry],
});

type Incrementer = { inc(value?: number): void };

/**
 * The metrics of one dependency. The duration histogram is a FastHistogram (label values
 * positional, no allocation per attempt); the counters' prom-client children are resolved
 * once and kept (they still validate and hash their labels per increment, once per call).
 */
export class ClientMetrics {
  private readonly outcomes = new Map<string, Incrementer>();
  private readonly retries = new Map<string, Incrementer>();

  constructor(private readonly dependency: string) {}

  /** `status` is undefined when no response arrived (transport failure, deadline, abort). */
  attempt(method: string, status: number | undefined, resendCount: number, seconds: number): void {
    clientRequestDuration.observe(seconds, this.dependency, methodLabel(method), status === undefined ? 'error' : statusClass(status), resendCountLabel(resendCount));
  }

  call(outcome: string): void {
    cached(this.outcomes, outcome, () => clientCalls.labels({ dependency: this.dependency, outcome })).inc();
  }

  retry(decision: 'retried' | 'denied-budget' | 'denied-deadline'): void {
    cached(this.retries, decision, () => clientRetries.labels({ dependency: this.dependency, decision })).inc();
  }
}

function cached(map: Map<string, Incrementer>, key: string, create: () => Incrementer): Incrementer {
  let child = map.get(key);
  if (child === undefined) {
    child = create();
    map.set(key, child);
  }
  return child;
}
