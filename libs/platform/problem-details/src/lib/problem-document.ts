import { HttpException } from '@nestjs/common';
import { problemCatalogue, problemCodeForStatus, problemType, type ProblemCode } from './problem-catalogue';
import { isProblemException, ProblemException } from './problem.exception';

/** RFC 9457 problem details, with the platform's correlation extensions. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  traceId?: string;
  [extension: string]: unknown;
}

export interface ProblemResponse {
  status: number;
  headers: Record<string, string>;
  body: ProblemDocument;
  /** True when the error was not one we raised on purpose: log it with its cause. */
  unexpected: boolean;
}

export interface Correlation {
  requestId?: string;
  traceId?: string;
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_INVALID_CHARSET: 'unsupported-media-type',
  FST_ERR_VALIDATION: 'validation-failed',
  FST_ERR_BAD_URL: 'invalid-path',
  FST_ERR_MAX_PARAM_LENGTH: 'uri-too-long',
  FST_ERR_ASYNC_CONSTRAINT: 'bad-request',
};

interface StatusCodedError {
  statusCode: number;
  code?: string;
  name?: string;
}

function isStatusCodedError(value: unknown): value is StatusCodedError {
  return typeof value === 'object' && value !== null && typeof (value as StatusCodedError).statusCode === 'number';
}

function fromProblem(error: ProblemException): Omit<ProblemResponse, 'unexpected'> {
  const entry = problemCatalogue[error.code];
  const body: ProblemDocument = {
    ...error.extensions,
    type: problemType(error.code),
    title: entry.title,
    status: error.status,
  };
  if (error.detail !== undefined) body.detail = error.detail;
  return { status: error.status, headers: { ...error.headers }, body };
}

function fromCode(code: ProblemCode, status: number, detail?: string, extensions: Record<string, unknown> = {}) {
  return fromProblem(new ProblemException(code, { status, detail, extensions }));
}

/** Nest's HttpException: 4xx messages were written for clients, 5xx messages never leave. */
function fromHttpException(error: HttpException): Omit<ProblemResponse, 'unexpected'> {
  const status = error.getStatus();
  const response = error.getResponse();
  if (status >= 500) return fromCode(problemCodeForStatus(status), status);
  if (typeof response === 'object' && response !== null) {
    const message = (response as { message?: unknown }).message;
    if (status === 400 && Array.isArray(message)) {
      const errors = message.map((m) => ({ detail: String(m) }));
      return fromCode('validation-failed', 400, 'The request has invalid fields.', { errors });
    }
    if (typeof message === 'string') return fromCode(problemCodeForStatus(status), status, message);
  }
  if (typeof response === 'string') return fromCode(problemCodeForStatus(status), status, response);
  return fromCode(problemCodeForStatus(status), status);
}

/** Fastify's own errors (body parser, content type, URL): client mistakes with a 4xx status. */
function fromStatusCodedError(error: StatusCodedError): Omit<ProblemResponse, 'unexpected'> | undefined {
  const status = error.statusCode;
  if (status < 400 || status >= 500) return undefined;
  const mapped = (error.code && fastifyCodes[error.code]) || (error.name === 'SyntaxError' ? 'malformed-json' : undefined);
  const code = mapped ?? problemCodeForStatus(status);
  return fromCode(code, problemCatalogue[code].status);
}

/**
 * Turns anything thrown into the response to send. Only messages we wrote for clients are
 * shown; anything else becomes a generic 500 with the original kept for the log.
 */
export function toProblemResponse(error: unknown, correlation: Correlation = {}): ProblemResponse {
  let mapped: Omit<ProblemResponse, 'unexpected'> | undefined;
  let unexpected = false;
  if (isProblemException(error)) mapped = fromProblem(error);
  else if (error instanceof HttpException) mapped = fromHttpException(error);
  else if (isStatusCodedError(error)) mapped = fromStatusCodedError(error);
  if (!mapped) {
    unexpected = true;
    mapped = fromCode('internal', 500, 'An unexpected error occurred.');
  }
  if (mapped.status >= 500 && !isProblemException(error)) unexpected = true;
  const body = mapped.body;
  if (correlation.instance !== undefined) body.instance = correlation.instance;
  if (correlation.requestId !== undefined) body.requestId = correlation.requestId;
  if (correlation.traceId !== undefined) body.traceId = correlation.traceId;
  return { ...mapped, body, unexpected };
}
