import { problemCatalogue, type ProblemCode } from './problem-catalogue';

export interface ProblemOptions {
  /** Safe, client-facing explanation. Never put upstream internals or secrets here. */
  detail?: string;
  /** Extension members (RFC 9457 §3.2), e.g. `errors`, `retryAfter`. */
  extensions?: Record<string, unknown>;
  /** Response headers that belong to this problem (WWW-Authenticate, Retry-After, RateLimit...). */
  headers?: Record<string, string>;
  /** The original error; logged, never sent. */
  cause?: unknown;
  /** Override the catalogue status (only for codes shared by several statuses). */
  status?: number;
}

/** Throw this anywhere; the problem-details filter (or sendProblem) renders it. */
export class ProblemException extends Error {
  readonly status: number;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ProblemCode,
    options: ProblemOptions = {},
  ) {
    super(options.detail ?? problemCatalogue[code].title, { cause: options.cause });
    this.name = 'ProblemException';
    this.status = options.status ?? problemCatalogue[code].status;
    this.detail = options.detail;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export function problem(code: ProblemCode, options?: ProblemOptions): ProblemException {
  return new ProblemException(code, options);
}

export function isProblemException(value: unknown): value is ProblemException {
  return value instanceof ProblemException;
}
