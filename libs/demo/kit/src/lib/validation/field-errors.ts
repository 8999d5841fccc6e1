import { problem, type ProblemException } from '@edge/problem-details';

/** One invalid input: `field` is a path into the request (`items[0].quantity`, `limit`, `Idempotency-Key`). */
export interface FieldError {
  field: string;
  detail: string;
}

/** 400 validation-failed listing every invalid field, so clients can fix all at once. */
export function validationProblem(errors: readonly FieldError[]): ProblemException {
  return problem('validation-failed', { detail: 'The request has invalid fields.', extensions: { errors } });
}
