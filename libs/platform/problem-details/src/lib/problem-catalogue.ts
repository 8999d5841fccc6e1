/**
 * The one error catalogue of the platform: every problem any app answers with has a code
 * here, with its HTTP status and a stable title. Clients branch on `type`, which is derived
 * from the code, so codes are a public contract: add codes, never repurpose one.
 */
export const PROBLEM_TYPE_BASE = 'urn:edge:problem:';

export const problemCatalogue = {
  'bad-request': { status: 400, title: 'Bad request' },
  'validation-failed': { status: 400, title: 'Request validation failed' },
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'invalid-header': { status: 400, title: 'Invalid request header' },
  'invalid-path': { status: 400, title: 'Invalid request path' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'invalid-token': { status: 401, title: 'Invalid access token' },
  forbidden: { status: 403, title: 'Forbidden' },
  'insufficient-scope': { status: 403, title: 'Insufficient scope' },
  'csrf-rejected': { status: 403, title: 'Cross-site request rejected' },
  'ip-denied': { status: 403, title: 'Client address not allowed' },
  'request-denied': { status: 403, title: 'Request denied by policy' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'uri-too-long': { status: 414, title: 'Request path too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'unprocessable-content': { status: 422, title: 'Unprocessable content' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused with a different request' },
  'upgrade-required': { status: 426, title: 'Client upgrade required' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'quota-exceeded': { status: 429, title: 'Quota exceeded' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  internal: { status: 500, title: 'Internal error' },
  'bad-gateway': { status: 502, title: 'Bad gateway' },
  'upstream-unavailable': { status: 503, title: 'Upstream unavailable' },
  'circuit-open': { status: 503, title: 'Upstream circuit open' },
  overloaded: { status: 503, title: 'Overloaded' },
  draining: { status: 503, title: 'Shutting down' },
  'dependency-unavailable': { status: 503, title: 'Dependency unavailable' },
  'gateway-timeout': { status: 504, title: 'Deadline exceeded' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalogue;

/** The catalogue entry a bare HTTP status falls back to (Nest's and Fastify's own errors). */
const codeByStatus: ReadonlyMap<number, ProblemCode> = new Map<number, ProblemCode>([
  [400, 'bad-request'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'not-found'],
  [405, 'method-not-allowed'],
  [406, 'not-acceptable'],
  [409, 'conflict'],
  [412, 'precondition-failed'],
  [413, 'payload-too-large'],
  [414, 'uri-too-long'],
  [415, 'unsupported-media-type'],
  [422, 'unprocessable-content'],
  [426, 'upgrade-required'],
  [428, 'precondition-required'],
  [429, 'rate-limited'],
  [431, 'headers-too-large'],
  [500, 'internal'],
  [502, 'bad-gateway'],
  [503, 'upstream-unavailable'],
  [504, 'gateway-timeout'],
]);

export function problemCodeForStatus(status: number): ProblemCode {
  const code = codeByStatus.get(status);
  if (code) return code;
  return status >= 500 ? 'internal' : 'bad-request';
}

export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_BASE + code;
}
