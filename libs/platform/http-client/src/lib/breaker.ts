import { Logger } from '@nestjs/common';
import CircuitBreaker from 'opossum';
import type { BreakerOptions } from './http-client.options';
import { breakerStateGauge, breakerTransitions } from './client-metrics';
import { UpstreamError } from './upstream-error';

export type BreakerState = 'closed' | 'half-open' | 'open';
const stateValue: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };


/** The breaker refused the call without running it (open, or half-open with its trial in flight). */
export class BreakerOpen extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('circuit open');
    this.name = 'BreakerOpen';
  }
}

/**
 * Only what says the dependency is unwell trips the breaker: transport failures, deadlines,
 * garbage, 5xx. A 4xx is the dependency working as designed; a cancelled call says nothing.
 */
export function countsAgainstDependency(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return true;
  switch (error.kind) {
    case 'status':
      return (error.upstream?.status ?? 500) >= 500;
    case 'aborted':
    case 'circuit-open':
    case 'overloaded':
      return false;
    default:
      return true;
  }
}

/**
 * One opossum breaker per dependency (not per endpoint: an unwell service is unwell for all
 * its routes). Opossum's own timeout and capacity are off: the call's deadline and the
 * bulkhead do those jobs. State changes are logged and exported as metrics.
 */
export class DependencyBreaker<A extends unknown[], R> {
  private readonly breaker: CircuitBreaker<A, R>;
  private readonly logger = new Logger('HttpClientBreaker');
  private openedAt = 0;
  private current: BreakerState = 'closed';

  /** `action` is what every call runs when the breaker lets it (bound once: no closure per call). */
  constructor(
    private readonly dependency: string,
    private readonly options: Required<BreakerOptions>,
    action: (...args: A) => Promise<R>,
  ) {
    this.breaker = new CircuitBreaker<A, R>(action, {
      name: dependency,
      timeout: false,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingCountTimeout,
      resetTimeout: options.resetTimeout,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      errorFilter: (error: unknown) => !countsAgainstDependency(error),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      this.enter('open');
    });
    this.breaker.on('halfOpen', () => this.enter('half-open'));
    this.breaker.on('close', () => this.enter('closed'));
    breakerStateGauge.set({ dependency }, 0);
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Runs the action through the breaker; when it may not run, rejects with an error `refusal()` recognises. */
  fire(...args: A): Promise<R> {
    return this.breaker.fire(...args);
  }

  /** The breaker's own refusal (open, or half-open with its trial in flight) as BreakerOpen; else undefined. */
  refusal(error: unknown): BreakerOpen | undefined {
    return error instanceof Error && CircuitBreaker.isOurError(error) ? new BreakerOpen(this.retryAfterSeconds()) : undefined;
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private retryAfterSeconds(): number {
    if (this.current !== 'open') return 1;
    return Math.max(1, Math.ceil((this.openedAt + this.options.resetTimeout - Date.now()) / 1000));
  }

  private enter(state: BreakerState): void {
    if (state === this.current) return;
    const from = this.current;
    this.current = state;
    breakerStateGauge.set({ dependency: this.dependency }, stateValue[state]);
    breakerTransitions.inc({ dependency: this.dependency, to: state });
    const event = { dependency: this.dependency, from, to: state };
    if (state === 'open') this.logger.warn(event, `circuit to ${this.dependency} opened`);
    else this.logger.log(event, `circuit to ${this.dependency} ${state === 'closed' ? 'closed' : 'half-open: one trial call allowed'}`);
  }
}
