import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblemResponse, problem } from '@edge/problem-details';
import type { Readiness } from './readiness';

/** /healthz: the process is alive. /readyz: it should receive traffic. Plain Fastify routes, no Nest pipeline. */
export function registerHealthRoutes(fastify: FastifyInstance, readiness: Readiness, extraHeaders: () => Record<string, string> = () => ({})): void {
  fastify.get('/healthz', (_request, reply) => {
    reply.header('cache-control', 'no-store').send({ status: 'ok' });
  });
  fastify.get('/readyz', async (request, reply) => {
    const failing = await readiness.failing();
    reply.header('cache-control', 'no-store').headers(extraHeaders());
    if (failing.length === 0) return reply.send({ status: 'ready' });
    const draining = readiness.phase === 'draining';
    const { status, body } = toProblemResponse(
      problem(draining ? 'draining' : 'dependency-unavailable', { detail: `not ready: ${failing.join(', ')}` }),
      { requestId: request.id, instance: '/readyz' },
    );
    return reply.code(status).header('retry-after', '5').type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  });
}
