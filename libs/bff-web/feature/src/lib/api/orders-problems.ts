import { isUpstreamError } from '@edge/http-client';
import { problem } from '@edge/problem-details';

const PROBLEM_TYPE = 'urn:edge:problem:';

/**
 * The orders service owns the checkout rules (idempotency keys, item validation): its
 * refusals reach the SPA with their own problem code and field errors, rather than the
 * bare status the http client passes on by default. Nothing else of its body is kept.
 */
export function ordersRefusal(error: unknown): unknown {
  if (!isUpstreamError(error) || error.kind !== 'status' || !error.upstream) return error;
  const body = error.upstream.body as { type?: unknown; errors?: unknown } | undefined;
  const type = typeof body?.type === 'string' && body.type.startsWith(PROBLEM_TYPE) ? body.type.slice(PROBLEM_TYPE.length) : undefined;
  switch (type) {
    case 'idempotency-key-reused':
      return problem('idempotency-key-reused', { detail: 'This Idempotency-Key was used for a different checkout.', cause: error });
    case 'precondition-required':
      return problem('precondition-required', { detail: 'A checkout needs an Idempotency-Key header.', cause: error });
    case 'invalid-header':
      return problem('invalid-header', { detail: 'The Idempotency-Key header is malformed.', cause: error });
    case 'validation-failed': {
      const errors = Array.isArray(body?.errors)
        ? body.errors
            .filter((e): e is { field: string; detail: string } => typeof e === 'object' && e !== null && typeof e.field === 'string' && typeof e.detail === 'string')
            .map((e) => ({ field: e.field, detail: e.detail }))
        : [];
      return problem('validation-failed', { extensions: { errors }, cause: error });
    }
    default:
      return error;
  }
}
