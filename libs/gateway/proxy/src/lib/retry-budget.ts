export interface RetryBudgetSettings {
  /** Retries in flight may be at most this share of active requests (Envoy: budget_percent). */
  ratio: number;
  /** ...but a few are always allowed, so a quiet cluster can still retry (min_retry_concurrency). */
  minConcurrent: number;
}

/**
 * Envoy-style retry budget: concurrent retries are bounded relative to concurrent
 * requests, so an outage cannot multiply the load on a cluster.
 */
export class RetryBudget {
  private requests = 0;
  private retries = 0;

  constructor(private readonly settings: RetryBudgetSettings) {}

  requestStarted(): void {
    this.requests++;
  }

  requestFinished(): void {
    this.requests--;
  }

  tryStartRetry(): boolean {
    const allowed = Math.max(this.settings.minConcurrent, Math.floor(this.requests * this.settings.ratio));
    if (this.retries >= allowed) return false;
    this.retries++;
    return true;
  }

  retryFinished(): void {
    this.retries--;
  }

  get activeRetries(): number {
    return this.retries;
  }
}
