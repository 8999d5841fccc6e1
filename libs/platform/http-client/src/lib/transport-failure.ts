import type { UpstreamFailureKind } from './upstream-error';

const CONNECT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// Our own misuse of undici (bad header value, body length): a bug, not the dependency's fault.
const PROGRAMMING = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN']);

/**
 * What kind of transport failure an error from undici is, or undefined when it is not a
 * transport failure at all (a bug, which the caller rethrows as is). Anything else undici
 * reports (parser errors, length mismatches, unknown codes) means the upstream spoke
 * something we cannot trust: 'protocol', which is never retried.
 */
export function transportFailureKind(error: unknown): UpstreamFailureKind | undefined {
  // Duck-typed: errors from node core may come from another realm (vm contexts, test runners).
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code !== 'string') return name === 'HTTPParserError' ? 'protocol' : undefined;
  if (CONNECT.has(code)) return 'connect';
  if (RESET.has(code)) return 'reset';
  if (TIMEOUT.has(code)) return 'timeout';
  if (PROGRAMMING.has(code)) return undefined;
  return 'protocol';
}
