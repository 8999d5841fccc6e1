/** The part of a Node response (HTTP/1 or HTTP/2 compat) that sending a problem needs. */
export interface RawResponse {
  headersSent: boolean;
  destroy(): void;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(payload: string): unknown;
}
import { PROBLEM_CONTENT_TYPE, toProblemResponse, type Correlation, type ProblemResponse } from './problem-document';

/**
 * Writes a problem to a raw Node response: for code that owns the socket (the gateway's
 * hijacked proxy path, plain http servers). If headers already went out, the only honest
 * thing left is to abort the response so the client sees it was cut short.
 */
export function sendProblem(
  res: RawResponse,
  error: unknown,
  correlation: Correlation = {},
): ProblemResponse {
  const problem = toProblemResponse(error, correlation);
  if (res.headersSent) {
    res.destroy();
    return problem;
  }
  const payload = JSON.stringify(problem.body);
  const headers: Record<string, string | number> = {
    ...problem.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
  };
  if (correlation.requestId) headers['x-request-id'] = correlation.requestId;
  res.writeHead(problem.status, headers);
  res.end(payload);
  return problem;
}
