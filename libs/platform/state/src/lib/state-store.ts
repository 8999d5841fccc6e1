/**
 * Shared-state port (DESIGN.md §4 "State"): every app is stateless with the memory adapter
 * and shares state through Redis when REDIS_URL is set. One interface, two adapters, the
 * adapter chosen once at start-up (nestjs/throttler's storage port is the model).
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Units left after this request (0 when refused). */
  remaining: number;
  /** Ms until the bucket is full again (the RateLimit `reset` parameter). */
  resetMs: number;
  /** Ms to wait before this request could succeed (0 when allowed). */
  retryAfterMs: number;
}

export interface RateSpec {
  /** Units allowed per period (also the burst: a full bucket). */
  limit: number;
  periodMs: number;
  /** Units this request spends (route cost weight); default 1. */
  cost?: number;
}

export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Token bucket by GCRA (one timestamp per key, atomic): accurate at window edges —
   * no 2× burst as with fixed windows — and O(1) memory per key.
   */
  consume(key: string, spec: RateSpec): Promise<RateDecision>;
  /** Current state of a bucket without spending (for RateLimit headers of other policies). */
  peek(key: string, spec: RateSpec): Promise<RateDecision>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Sets only if absent; true when this call set it (idempotency reservations). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Lease for single-flight work across instances; returns a token to release it with, or undefined. */
  acquireLock(key: string, ttlMs: number): Promise<string | undefined>;
  releaseLock(key: string, token: string): Promise<void>;
  /** Adds members to a set with a TTL on the whole set (e.g. sessions of a subject). */
  addToSet(key: string, member: string, ttlMs: number): Promise<void>;
  setMembers(key: string): Promise<string[]>;
  /**
   * An index whose members expire one by one, `memberTtlMs` after they were (last) added; the
   * index itself expires `ttlMs` after the last add. For indexes of records that expire on
   * their own (the cache's purge index): a set with one TTL would be kept alive by new members
   * and grow by every record that ever existed.
   */
  addToIndex(key: string, member: string, memberTtlMs: number, ttlMs: number): Promise<void>;
  /** Members of an index that have not expired. */
  indexMembers(key: string): Promise<string[]>;
  removeFromIndex(key: string, members: readonly string[]): Promise<void>;
  /** Reachability, for readiness checks and fail-open/closed decisions. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const STATE_STORE = Symbol('STATE_STORE');

export class StateUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateUnavailableError';
  }
}
