import { isUpstreamError } from '@edge/http-client';
import { problem } from '@edge/problem-details';

interface FieldError {
  field: string;
  detail: string;
}

const SAFE_TEXT = /^[\x20-\x7e]{1,200}$/;

/** The `errors` of a domain service's validation problem, if it sent well-formed ones. */
function fieldErrors(body: unknown): FieldError[] | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || errors.length > 100) return undefined;
  const out: FieldError[] = [];
  for (const e of errors as { field?: unknown; detail?: unknown }[]) {
    if (typeof e?.field !== 'string' || typeof e.detail !== 'string' || !SAFE_TEXT.test(e.field) || !SAFE_TEXT.test(e.detail)) return undefined;
    out.push({ field: e.field, detail: e.detail });
  }
  return out;
}

/**
 * A domain service's 400 with field errors (unknown product, stale cursor) is the partner's
 * mistake: it is passed on as a validation problem listing the fields, rebuilt from the
 * checked field list only. Every other failure stays what @edge/http-client made of it.
 */
export function passOnValidation(error: unknown): unknown {
  if (isUpstreamError(error) && error.isStatus(400)) {
    const errors = fieldErrors(error.upstream?.body);
    if (errors) return problem('validation-failed', { detail: 'The request has invalid fields.', extensions: { errors }, cause: error });
  }
  return error;
}
