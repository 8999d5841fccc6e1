import { ProblemException, type ProblemCode } from '@edge/problem-details';

/**
 * Why a call to a dependency failed. Every kind maps to one problem (DESIGN.md §4):
 * connect/reset/protocol/5xx → 502, timeout → 504, circuit-open/overloaded → 503 + Retry-After.
 */
export type UpstreamFailureKind =
  /** No connection could be made (refused, unreachable, DNS, connect timeout). */
  | 'connect'
  /** The connection broke mid-exchange (reset, closed by the other side). */
  | 'reset'
  /** The call's deadline passed (dependency timeout or the inbound request's budget). */
  | 'timeout'
  /** The inbound request or the caller's signal was aborted. */
  | 'aborted'
  /** The upstream answered something that is not HTTP or not the JSON it announced. */
  | 'protocol'
  /** The upstream answered with a status outside 2xx (`upstream.status`). */
  | 'status'
  /** This dependency's circuit breaker is open: the upstream was not called. */
  | 'circuit-open'
  /** This dependency's bulkhead is full: the upstream was not called. */
  | 'overloaded';

/** What the upstream answered, for `kind: 'status'` (never shown to clients as such). */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the upstream sent JSON, else text (at most 4 KiB), else undefined. */
  body: unknown;
}

export interface UpstreamErrorInit {
  dependency: string;
  kind: UpstreamFailureKind;
  method: string;
  /** The path template (never the filled-in path: no ids or personal data in logs). */
  path: string;
  attempts: number;
  upstream?: UpstreamAnswer;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** One entry of a dependency's validation problem (`errors[]`, DESIGN.md §4). */
export interface UpstreamFieldError {
  field: string;
  detail: string;
}

const SAFE_TEXT = /^[\x20-\x7e]{1,200}$/;

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A Retry-After worth passing on: delta-seconds only, bounded (dates and junk are dropped). */
function upstreamRetryAfter(answer: UpstreamAnswer): number | undefined {
  const value = singleHeader(answer.headers['retry-after']);
  return value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : undefined;
}

interface Mapped {
  code: ProblemCode;
  retryAfter?: number;
}

function mapStatus(answer: UpstreamAnswer): Mapped {
  const status = answer.status;
  if (status === 503 || status === 429) return { code: 'upstream-unavailable', retryAfter: upstreamRetryAfter(answer) ?? 1 };
  if (status === 504) return { code: 'gateway-timeout' };
  // 401/407: the dependency refused *our* credentials; 3xx: we never follow redirects.
  if (status >= 500 || status < 400 || status === 401 || status === 407) return { code: 'bad-gateway' };
  switch (status) {
    case 400: return { code: 'bad-request' };
    case 403: return { code: 'forbidden' };
    case 404: return { code: 'not-found' };
    case 409: return { code: 'conflict' };
    case 412: return { code: 'precondition-failed' };
    case 413: return { code: 'payload-too-large' };
    case 415: return { code: 'unsupported-media-type' };
    case 422: return { code: 'unprocessable-content' };
    case 428: return { code: 'precondition-required' };
    default: return { code: 'bad-request' };
  }
}

function mapKind(init: UpstreamErrorInit): Mapped {
  switch (init.kind) {
    case 'connect':
    case 'reset':
    case 'protocol':
      return { code: 'bad-gateway' };
    case 'timeout':
    case 'aborted':
      return { code: 'gateway-timeout' };
    case 'circuit-open':
      return { code: 'circuit-open', retryAfter: init.retryAfterSeconds ?? 1 };
    case 'overloaded':
      return { code: 'overloaded', retryAfter: init.retryAfterSeconds ?? 1 };
    case 'status':
      return init.upstream ? mapStatus(init.upstream) : { code: 'bad-gateway' };
    default: {
      const unknownKind: never = init.kind;
      throw new Error(`unknown upstream failure kind ${String(unknownKind)}`);
    }
  }
}

/**
 * A failed call to a dependency. It *is* a problem: left uncaught, the platform's filter
 * renders it (502/503/504, or the upstream's 4xx passed on by status only); the upstream's
 * own answer and the transport error stay on the object (`upstream`, `cause`) for the
 * caller and the log, and never reach the client.
 */
export class UpstreamError extends ProblemException {
  readonly dependency: string;
  readonly kind: UpstreamFailureKind;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly upstream: UpstreamAnswer | undefined;

  constructor(init: UpstreamErrorInit) {
    const mapped = mapKind(init);
    super(mapped.code, {
      cause: init.cause,
      headers: mapped.retryAfter !== undefined ? { 'retry-after': String(mapped.retryAfter) } : undefined,
    });
    this.name = 'UpstreamError';
    this.dependency = init.dependency;
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.upstream = init.upstream;
    // For logs only: the problem body is built from the catalogue, never from this message.
    const what = init.kind === 'status' && init.upstream ? `status ${init.upstream.status}` : init.kind;
    this.message = `${init.dependency} ${init.method} ${init.path} failed: ${what} after ${init.attempts} attempt(s)`;
  }

  /** The upstream answered with this status (e.g. `err.isStatus(404)` to treat a miss as data). */
  isStatus(status: number): boolean {
    return this.kind === 'status' && this.upstream?.status === status;
  }

  /**
   * The field errors of the dependency's 400 validation problem, when it sent a well-formed
   * list (1–100 entries of printable text): what a BFF may pass on as the client's mistake
   * (a stale cursor, an unknown product). Otherwise undefined.
   */
  fieldErrors(): UpstreamFieldError[] | undefined {
    if (!this.isStatus(400)) return undefined;
    const errors = (this.upstream?.body as { errors?: unknown } | null | undefined)?.errors;
    if (!Array.isArray(errors) || errors.length === 0 || errors.length > 100) return undefined;
    const out: UpstreamFieldError[] = [];
    for (const e of errors as ({ field?: unknown; detail?: unknown } | null)[]) {
      if (typeof e?.field !== 'string' || typeof e.detail !== 'string' || !SAFE_TEXT.test(e.field) || !SAFE_TEXT.test(e.detail)) return undefined;
      out.push({ field: e.field, detail: e.detail });
    }
    return out;
  }
}

export function isUpstreamError(value: unknown): value is UpstreamError {
  return value instanceof UpstreamError;
}

/**
 * A request this client refuses to send: it would leave the configured base URL, or it is
 * malformed (bad path template, forbidden header). A bug in the caller, not a client error:
 * deliberately not a problem, so the platform's filter answers 500 and logs it.
 */
export class UnsafeRequestError extends Error {
  constructor(
    readonly dependency: string,
    reason: string,
  ) {
    super(`refused request to ${dependency}: ${reason}`);
    this.name = 'UnsafeRequestError';
  }
}
