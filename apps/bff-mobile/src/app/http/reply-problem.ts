import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblemResponse } from '@edge/problem-details';

/** Answers a problem from a Fastify hook (before Nest's filter is in play), like the filter would. */
export function replyProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const problem = toProblemResponse(error, { requestId: request.id, traceId: request.edgeContext?.trace.traceId, instance: request.url.split('?', 1)[0] });
  return reply
    .code(problem.status)
    .headers({ ...problem.headers, 'cache-control': 'no-store' })
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.body));
}
