export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of calls in the window. */
  ratio: number;
  /** A floor so that a quiet dependency can still retry: this many per second of the window. */
  minPerSecond: number;
  windowMs: number;
  /** Resolution of the sliding window. */
  buckets?: number;
}

/**
 * Retries stay a bounded fraction of calls (Finagle's RetryBudget, Envoy's retry budget):
 * over the sliding window, retries ≤ ratio × calls + minPerSecond × window seconds. During
 * an outage the upstream therefore sees at most (1 + ratio) × calls + floor requests, not
 * attempts × calls. Counts live in a ring of time buckets; recording is O(1).
 */
export class RetryBudget {
  private readonly bucketMs: number;
  private readonly calls: number[];
  private readonly retries: number[];
  private readonly floor: number;
  private epoch = 0;
  private totalCalls = 0;
  private totalRetries = 0;

  constructor(private readonly options: RetryBudgetOptions) {
    const buckets = options.buckets ?? 10;
    this.bucketMs = options.windowMs / buckets;
    this.calls = new Array<number>(buckets).fill(0);
    this.retries = new Array<number>(buckets).fill(0);
    this.floor = (options.minPerSecond * options.windowMs) / 1000;
  }

  /** Counts a call (its first attempt). */
  recordCall(now: number): void {
    this.calls[this.advance(now)]++;
    this.totalCalls++;
  }

  /** Takes one retry from the budget if there is room; false means: do not retry. */
  tryRetry(now: number): boolean {
    const index = this.advance(now);
    if (this.totalRetries + 1 > this.options.ratio * this.totalCalls + this.floor) return false;
    this.retries[index]++;
    this.totalRetries++;
    return true;
  }

  /** Current counts over the window (for tests and diagnostics). */
  snapshot(now: number): { calls: number; retries: number } {
    this.advance(now);
    return { calls: this.totalCalls, retries: this.totalRetries };
  }

  /** Moves the window to `now`, dropping buckets that fell out of it; returns the current bucket. */
  private advance(now: number): number {
    const epoch = Math.floor(now / this.bucketMs);
    const size = this.calls.length;
    if (epoch !== this.epoch) {
      const stale = Math.min(size, Math.max(0, epoch - this.epoch));
      for (let step = 1; step <= stale; step++) {
        const i = (this.epoch + step) % size;
        this.totalCalls -= this.calls[i] as number;
        this.totalRetries -= this.retries[i] as number;
        this.calls[i] = 0;
        this.retries[i] = 0;
      }
      // A clock that went backwards keeps counting into the current bucket.
      if (epoch > this.epoch) this.epoch = epoch;
    }
    return this.epoch % size;
  }
}
