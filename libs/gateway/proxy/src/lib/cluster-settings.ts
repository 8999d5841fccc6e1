import type { LoadBalancing } from './load-balancer';
import type { OutlierSettings } from './outlier-detection';
import type { BulkheadSettings } from './bulkhead';
import type { RetryBudgetSettings } from './retry-budget';

export type RetryOn = 'connect-failure' | 'reset' | '502' | '503' | '504';

/** What the proxy needs to know about one cluster (mapped from the compiled gateway config). */
export interface ClusterSettings {
  readonly id: string;
  readonly kind: 'service' | 'bff';
  readonly destinations: readonly { id: string; url: string; weight: number }[];
  readonly loadBalancing: LoadBalancing;
  readonly pool: { connections: number; keepAliveTimeoutMs: number; pipelining: number };
  /** perTryMs: Infinity when an attempt may use all that is left of the deadline. */
  readonly timeouts: { connectMs: number; perTryMs: number; bodyIdleMs: number };
  readonly retries?: {
    attempts: number;
    on: ReadonlySet<RetryOn>;
    baseDelayMs: number;
    maxDelayMs: number;
    budget: RetryBudgetSettings;
  };
  readonly breaker?: { errorThresholdPercentage: number; volumeThreshold: number; rollingCountTimeoutMs: number; resetTimeoutMs: number };
  readonly concurrency?: BulkheadSettings;
  readonly outlier?: OutlierSettings;
  readonly healthCheck?: { path: string; intervalMs: number; timeoutMs: number };
}
