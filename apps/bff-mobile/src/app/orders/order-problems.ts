import { isUpstreamError } from '@edge/http-client';
import { problem, problemCatalogue, PROBLEM_TYPE_BASE, type ProblemCode } from '@edge/problem-details';

/**
 * Problems of the orders service's idempotency rule that the app must be able to tell apart
 * (the generic status mapping would make them plain 400/422): passed on by code only, never
 * with the upstream's detail.
 */
const PASSED_ON: ReadonlySet<ProblemCode> = new Set(['idempotency-key-reused', 'invalid-header', 'precondition-required']);

export function passOnOrderProblem(error: unknown): unknown {
  if (!isUpstreamError(error) || error.kind !== 'status' || error.upstream === undefined) return error;
  const type = (error.upstream.body as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string' || !type.startsWith(PROBLEM_TYPE_BASE)) return error;
  const code = type.slice(PROBLEM_TYPE_BASE.length) as ProblemCode;
  if (!PASSED_ON.has(code) || problemCatalogue[code].status !== error.upstream.status) return error;
  return problem(code, { cause: error });
}
