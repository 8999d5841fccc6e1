import { problem, type ProblemException } from '@edge/problem-details';

/**
 * Why forwarding failed, in the proxy's own terms; each kind maps to one problem
 * (fastify-reply-from and YARP's ForwarderError do the same). The cause is kept for logs.
 */
export type ProxyErrorKind =
  | 'connect-failure'
  | 'reset'
  | 'timeout'
  | 'upstream-5xx'
  | 'circuit-open'
  | 'overloaded'
  | 'client-aborted'
  | 'body-too-large'
  | 'protocol';

export class ProxyError extends Error {
  constructor(
    readonly kind: ProxyErrorKind,
    message: string,
    readonly retryAfterSec?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProxyError';
  }
}

export function proxyErrorToProblem(error: ProxyError): ProblemException {
  const retry = error.retryAfterSec !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterSec))) } : undefined;
  switch (error.kind) {
    case 'connect-failure':
    case 'reset':
    case 'protocol':
    case 'upstream-5xx':
      return problem('bad-gateway', { detail: 'The upstream service could not be reached or failed.', cause: error });
    case 'timeout':
      return problem('gateway-timeout', { detail: 'The upstream service did not answer within the deadline.', cause: error });
    case 'circuit-open':
      return problem('circuit-open', { detail: 'The upstream service is failing; try again later.', headers: retry ?? { 'retry-after': '5' }, cause: error });
    case 'overloaded':
      return problem('overloaded', { detail: 'Too many concurrent requests for this upstream.', headers: retry ?? { 'retry-after': '1' }, cause: error });
    case 'body-too-large':
      return problem('payload-too-large', { detail: 'The request body exceeds the limit of this route.', cause: error });
    case 'client-aborted':
      return problem('bad-request', { detail: 'The client closed the request.', cause: error });
    default: {
      const never: never = error.kind;
      throw new Error(`unmapped proxy error ${String(never)}`);
    }
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Classifies an undici/Node error raised before the response headers arrived. */
export function classifyTransportError(error: unknown): ProxyError {
  if (error instanceof ProxyError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (CONNECT_CODES.has(code)) return new ProxyError('connect-failure', `connect failed (${code})`, undefined, { cause: error });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new ProxyError('timeout', `upstream timeout (${code})`, undefined, { cause: error });
  if (RESET_CODES.has(code)) return new ProxyError('reset', `connection reset (${code})`, undefined, { cause: error });
  if (code === 'UND_ERR_ABORTED' || (error as Error).name === 'AbortError') return new ProxyError('client-aborted', 'aborted', undefined, { cause: error });
  return new ProxyError('protocol', `upstream protocol error (${code || (error as Error).name})`, undefined, { cause: error });
}
