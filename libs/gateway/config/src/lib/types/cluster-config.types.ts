/**
 * A cluster: how the gateway talks to one upstream (a domain service or a BFF). Everything but
 * `kind` and `destinations` has defaults (see defaults.ts; they are also in the JSON Schema).
 */
export interface ClusterConfig {
  /** `bff` clusters are not retried by default (the BFF retries its own dependencies). */
  kind: ClusterKind;
  /** id → destination; urls are origins only (`http(s)://host:port`, no path). */
  destinations: Record<string, DestinationConfig>;
  loadBalancing?: LoadBalancing;
  pool?: PoolConfig;
  timeouts?: ClusterTimeoutsConfig;
  retries?: RetryConfig;
  breaker?: BreakerConfig;
  concurrency?: ConcurrencyConfig;
  healthChecks?: HealthChecksConfig;
}

export type ClusterKind = 'service' | 'bff';
export type LoadBalancing = 'round-robin' | 'least-requests' | 'power-of-two-choices';

export interface DestinationConfig {
  url: string;
  /** Relative share of traffic (0 drains a destination; at least one must be > 0). */
  weight?: number;
}

export interface PoolConfig {
  /** Max connections per destination. */
  connections?: number;
  /** Kept below the upstream's own keep-alive timeout (Node: 5 s) to avoid reuse races. */
  keepAliveTimeoutMs?: number;
  pipelining?: number;
}

export interface ClusterTimeoutsConfig {
  connectMs?: number;
  /**
   * One attempt, until the response headers arrive. Default: none — an attempt may use what is
   * left of the route deadline (retries then happen on fast failures only). When set, the
   * deadline of every route using the cluster must hold maxAttempts × perTryMs + backoff.
   */
  perTryMs?: number;
  /** Longest silence between two body chunks (a hang after headers aborts the response). */
  bodyIdleMs?: number;
}

/**
 * Retry conditions. `connect-failure`: no connection could be made (refused, connect timeout) —
 * the request surely was not processed. `reset`: the connection broke before a response arrived
 * (the request may have been processed; like every retry, only for idempotent requests).
 * `504` also covers an expired per-try timeout.
 */
export type RetryCondition = 'connect-failure' | 'reset' | 502 | 503 | 504;

export interface RetryConfig {
  /** Total attempts including the first; 1 = no retry. */
  maxAttempts?: number;
  on?: RetryCondition[];
  /**
   * Methods retried without an `Idempotency-Key` (requests carrying one may always be retried).
   * Listing POST or PATCH is an audit smell.
   */
  methods?: HttpMethod[];
  backoff?: { baseMs?: number; maxMs?: number; jitter?: 'full' | 'none' };
  /** Retries allowed per cluster: `ratio` of recent requests plus `minPerSecond`. */
  budget?: { ratio?: number; minPerSecond?: number };
  /** Required to retry a `kind: bff` cluster (one retry budget across the call chain). */
  allowForBff?: boolean;
}

export interface BreakerConfig {
  enabled?: boolean;
  /** Opens when this percentage of requests in the window failed (5xx/transport; never 4xx). */
  failureRatePercent?: number;
  /** Below this many requests in the window the breaker never opens. */
  minimumRequests?: number;
  windowMs?: number;
  /** How long it stays open (503 + Retry-After) before half-opening. */
  openMs?: number;
  /** Trial requests let through while half-open. */
  halfOpenTrials?: number;
}

export interface ConcurrencyConfig {
  /** In-flight requests per cluster (bulkhead). */
  max?: number;
  /** Requests waiting for a slot; beyond it → 503 + Retry-After at once. */
  queue?: number;
  queueTimeoutMs?: number;
}

export interface HealthChecksConfig {
  active?: { path: string; intervalMs?: number; timeoutMs?: number };
  passive?: {
    enabled?: boolean;
    /** Consecutive failures that eject a destination. */
    consecutiveFailures?: number;
    ejectionMs?: number;
    /** Never eject more than this share of destinations (< 100: never all of them). */
    maxEjectedPercent?: number;
  };
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
