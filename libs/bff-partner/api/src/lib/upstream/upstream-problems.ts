import { isUpstreamError } from '@edge/http-client';
import { problem } from '@edge/problem-details';

/**
 * A domain service's 400 with field errors (unknown product, stale cursor) is the partner's
 * mistake: it is passed on as a validation problem listing the fields, rebuilt from the
 * checked field list only (UpstreamError.fieldErrors). Every other failure stays what
 * @edge/http-client made of it.
 */
export function passOnValidation(error: unknown): unknown {
  const errors = isUpstreamError(error) ? error.fieldErrors() : undefined;
  if (errors) return problem('validation-failed', { detail: 'The request has invalid fields.', extensions: { errors }, cause: error });
  return error;
}
