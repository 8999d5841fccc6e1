import type { RequestContext } from '@edge/observability';

export interface RetryOptions {
  /** Attempts per call, the first included (1 = never retry). Default 3. */
  attempts?: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs·2^(n-1))]. Default 25. */
  baseDelayMs?: number;
  /** Default 250. */
  maxDelayMs?: number;
  /** Retries may be at most this fraction of this dependency's recent calls. Default 0.2. */
  budgetRatio?: number;
  /** …plus this many retries per second of the window, so a quiet dependency can still retry. Default 1. */
  minRetriesPerSecond?: number;
  /** The sliding window the budget counts over. Default 10 000. */
  budgetWindowMs?: number;
  /** Never start an attempt with less budget left than this (or than the recent typical latency). Default 5. */
  minAttemptMs?: number;
}

/** opossum's own option names; one breaker per dependency. */
export interface BreakerOptions {
  /** Open when failures exceed this % of calls in the rolling window. Default 50. */
  errorThresholdPercentage?: number;
  /** …once at least this many calls were made in the window. Default 20. */
  volumeThreshold?: number;
  /** Default 10 000. */
  rollingCountTimeout?: number;
  /** How long the circuit stays open before one half-open trial. Default 5 000. */
  resetTimeout?: number;
}

export interface BulkheadOptions {
  /** Calls in flight at once. Default 64. */
  maxConcurrent?: number;
  /** Calls allowed to wait for a slot; beyond that, rejected at once. Default 32. */
  maxQueue?: number;
  /** The longest a call waits for a slot (also never past its deadline). Default 100. */
  queueTimeoutMs?: number;
}

export interface AuthorizeContext {
  dependency: string;
  method: string;
  /** The path template, e.g. `/orders/:id`. */
  path: string;
  /** The inbound request this call serves, if any (identity, request id). */
  request: RequestContext | undefined;
  /** Aborted when the call's deadline passes or the inbound request goes away. */
  signal: AbortSignal;
}

/** Returns the Authorization header value for the call (e.g. `Bearer …`), or undefined for none. */
export type AuthorizeHook = (context: AuthorizeContext) => string | undefined | Promise<string | undefined>;

export interface HttpClientOptions {
  /** The dependency's name: injection token, metric label, breaker name. `[a-z][a-z0-9-]*`. */
  name: string;
  /** The only place this client can reach: scheme, host, port and an optional base path. */
  baseUrl: string;
  /** Keep-alive connections to the dependency (undici Pool). Default 32. */
  connections?: number;
  /** The dependency's own per-call deadline, retries included. Default 2 000. */
  timeoutMs?: number;
  retries?: RetryOptions;
  breaker?: BreakerOptions;
  bulkhead?: BulkheadOptions;
  /** Larger answers are cut off and fail as 'protocol' (502). Default 10 MiB. Not applied to `stream()`. */
  maxResponseBytes?: number;
  authorize?: AuthorizeHook;
}

export interface ResolvedHttpClientOptions {
  readonly name: string;
  readonly baseUrl: string;
  readonly connections: number;
  readonly timeoutMs: number;
  readonly retries: Readonly<Required<RetryOptions>>;
  readonly breaker: Readonly<Required<BreakerOptions>>;
  readonly bulkhead: Readonly<Required<BulkheadOptions>>;
  readonly maxResponseBytes: number;
  readonly authorize: AuthorizeHook | undefined;
}

export const defaultRetries: Required<RetryOptions> = {
  attempts: 3,
  baseDelayMs: 25,
  maxDelayMs: 250,
  budgetRatio: 0.2,
  minRetriesPerSecond: 1,
  budgetWindowMs: 10_000,
  minAttemptMs: 5,
};
export const defaultBreaker: Required<BreakerOptions> = {
  errorThresholdPercentage: 50,
  volumeThreshold: 20,
  rollingCountTimeout: 10_000,
  resetTimeout: 5_000,
};
export const defaultBulkhead: Required<BulkheadOptions> = { maxConcurrent: 64, maxQueue: 32, queueTimeoutMs: 100 };

export class HttpClientConfigError extends Error {
  constructor(
    name: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid http client options for "${name}":\n  - ${problems.join('\n  - ')}`);
    this.name = 'HttpClientConfigError';
  }
}

type Check = (value: number) => boolean;
const positiveInt: Check = (v) => Number.isInteger(v) && v > 0;
const nonNegativeInt: Check = (v) => Number.isInteger(v) && v >= 0;
const ratio: Check = (v) => v >= 0 && v <= 1;
const percentage: Check = (v) => v > 0 && v <= 100;

const topLevelKeys = new Set(['name', 'baseUrl', 'connections', 'timeoutMs', 'retries', 'breaker', 'bulkhead', 'maxResponseBytes', 'authorize']);

/** Fills defaults and checks every field, reporting all problems at once; unknown keys are errors. */
function section<T extends object>(
  label: string,
  given: Partial<T> | undefined,
  defaults: Required<T>,
  checks: Record<keyof T, [Check, string]>,
  problems: string[],
): Readonly<Required<T>> {
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    problems.push(`${label} must be an object`);
    return Object.freeze({ ...defaults });
  }
  const merged = { ...defaults, ...given } as Required<T>;
  for (const key of Object.keys(given ?? {})) {
    if (!(key in defaults)) problems.push(`${label}.${key} is not an option (known: ${Object.keys(defaults).join(', ')})`);
  }
  for (const key of Object.keys(checks) as (keyof T)[]) {
    const [check, expected] = checks[key];
    const value = merged[key];
    if (typeof value !== 'number' || !check(value)) problems.push(`${label}.${String(key)} must be ${expected} (got ${String(value)})`);
  }
  return Object.freeze(merged);
}

function checkBaseUrl(baseUrl: unknown, problems: string[]): void {
  if (typeof baseUrl !== 'string') {
    problems.push('baseUrl must be a string');
    return;
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    problems.push(`baseUrl is not a URL (got ${baseUrl})`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('baseUrl must be http or https');
  if (url.username || url.password) problems.push('baseUrl must not carry credentials (use authorize)');
  if (url.search || url.hash) problems.push('baseUrl must not have a query or fragment');
}

export function resolveHttpClientOptions(options: HttpClientOptions): ResolvedHttpClientOptions {
  const problems: string[] = [];
  const name = typeof options.name === 'string' ? options.name : '';
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) problems.push('name must match [a-z][a-z0-9-]* (it is a metric label and an injection token)');
  for (const key of Object.keys(options)) {
    if (!topLevelKeys.has(key)) problems.push(`${key} is not an option (known: ${[...topLevelKeys].join(', ')})`);
  }
  checkBaseUrl(options.baseUrl, problems);
  const connections = options.connections ?? 32;
  if (!positiveInt(connections)) problems.push(`connections must be a positive integer (got ${String(connections)})`);
  const timeoutMs = options.timeoutMs ?? 2_000;
  if (!positiveInt(timeoutMs)) problems.push(`timeoutMs must be a positive integer (got ${String(timeoutMs)})`);
  const maxResponseBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  if (!positiveInt(maxResponseBytes)) problems.push(`maxResponseBytes must be a positive integer (got ${String(maxResponseBytes)})`);
  if (options.authorize !== undefined && typeof options.authorize !== 'function') problems.push('authorize must be a function');

  const ms = 'a non-negative integer (ms)';
  const retries = section<RetryOptions>('retries', options.retries, defaultRetries, {
    attempts: [positiveInt, 'a positive integer'],
    baseDelayMs: [nonNegativeInt, ms],
    maxDelayMs: [nonNegativeInt, ms],
    budgetRatio: [ratio, 'between 0 and 1'],
    minRetriesPerSecond: [(v) => v >= 0, 'a non-negative number'],
    budgetWindowMs: [(v) => positiveInt(v) && v >= 100, 'an integer ≥ 100 (ms)'],
    minAttemptMs: [nonNegativeInt, ms],
  }, problems);
  if (retries.maxDelayMs < retries.baseDelayMs) problems.push('retries.maxDelayMs must be ≥ retries.baseDelayMs');
  const breaker = section<BreakerOptions>('breaker', options.breaker, defaultBreaker, {
    errorThresholdPercentage: [percentage, 'in (0, 100]'],
    volumeThreshold: [nonNegativeInt, 'a non-negative integer'],
    rollingCountTimeout: [(v) => positiveInt(v) && v >= 10, 'an integer ≥ 10 (ms)'],
    resetTimeout: [positiveInt, 'a positive integer (ms)'],
  }, problems);
  const bulkhead = section<BulkheadOptions>('bulkhead', options.bulkhead, defaultBulkhead, {
    maxConcurrent: [positiveInt, 'a positive integer'],
    maxQueue: [nonNegativeInt, 'a non-negative integer'],
    queueTimeoutMs: [positiveInt, 'a positive integer (ms)'],
  }, problems);

  if (problems.length > 0) throw new HttpClientConfigError(name || String(options.name), problems);
  return Object.freeze({ name, baseUrl: options.baseUrl, connections, timeoutMs, retries, breaker, bulkhead, maxResponseBytes, authorize: options.authorize });
}
