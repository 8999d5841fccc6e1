import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath, type ApiResponseSchemaHost } from '@nestjs/swagger';
import { PARTNER_PROBLEM_TYPES, Problem } from '@edge/contracts-partner';
import { problemCatalogue, problemType, type ProblemCode } from '@edge/problem-details';

type ProblemStatus = keyof typeof PARTNER_PROBLEM_TYPES;
type HeadersObject = NonNullable<ApiResponseSchemaHost['headers']>;

/** Headers of every authenticated answer (draft-ietf-httpapi-ratelimit-headers). */
export const RATE_LIMIT_HEADERS: HeadersObject = {
  'RateLimit-Policy': { description: 'The partner limits: `"partner";q=100;w=60, "partner-quota";q=10000;w=86400`', schema: { type: 'string' } },
  RateLimit: { description: 'The limit closest to exhaustion: `"partner";r=42;t=17` (remaining, seconds to reset)', schema: { type: 'string' } },
};

const statusText: Record<ProblemStatus, string> = {
  400: 'The request is malformed or fails the published schema (each invalid field is listed in `errors`).',
  401: 'No credential, or an invalid, expired or revoked access token or API key.',
  403: 'The credential lacks a scope, or the request names another tenant.',
  404: 'No such resource for your tenant.',
  409: 'A request with the same Idempotency-Key is still being processed: retry shortly.',
  413: 'The body is too large.',
  415: 'The body is not JSON.',
  422: 'The Idempotency-Key was used before with a different request.',
  428: 'The command needs an Idempotency-Key header.',
  429: 'A partner rate limit or quota is used up: retry after `Retry-After` seconds.',
  502: 'A service behind this API failed.',
  503: 'A service behind this API is unavailable or overloaded: retry after `Retry-After` seconds.',
  504: 'The request ran out of time.',
};

/**
 * Documents the problem+json answers of an operation: one response per status, the types it
 * can carry as examples, and Retry-After / RateLimit headers where they apply.
 */
export function ProblemResponses(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => {
      const examples = Object.fromEntries(
        (PARTNER_PROBLEM_TYPES[status] as readonly ProblemCode[]).map((code) => [
          code,
          { summary: problemCatalogue[code].title, value: { type: problemType(code), title: problemCatalogue[code].title, status, requestId: '5d0f1c6a-2b7e-4d35-9a8f-1f0e2c3b4a59' } },
        ]),
      );
      const retryAfter: HeadersObject = status === 429 || status === 503 || status === 409 ? { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } : {};
      return ApiResponse({
        status,
        description: statusText[status],
        headers: { ...retryAfter, ...(status === 429 ? RATE_LIMIT_HEADERS : {}) },
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(Problem) }, examples } },
      });
    }),
  );
}
