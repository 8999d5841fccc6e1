import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem, problemCodeForStatus, toProblemResponse } from '@edge/problem-details';
import type { FaultSettings } from './fault-settings';
import type { FaultState } from './fault-state';

/** Never faulted: the control endpoint itself and what orchestrators and scrapers need. */
export const FAULT_EXEMPT_PATHS: ReadonlySet<string> = new Set(['/__faults', '/healthz', '/readyz', '/metrics']);

/** Not HTTP: a client's parser must fail on the first bytes. */
const GARBAGE = Buffer.from('\u0000\u00ffNOT-HTTP \u0001\u0002\u0003 garbage\r\n\r\n', 'latin1');

function injectedError(request: FastifyRequest, reply: FastifyReply, status: number): void {
  const { body } = toProblemResponse(problem(problemCodeForStatus(status), { status, detail: 'Injected fault.' }), {
    requestId: request.id,
    instance: request.url.split('?', 1)[0],
  });
  reply.code(status).header('content-type', PROBLEM_CONTENT_TYPE).header('cache-control', 'no-store');
  if (status === 503) reply.header('retry-after', '1');
  reply.send(JSON.stringify(body));
}

function misbehave(request: FastifyRequest, reply: FastifyReply, faults: FaultSettings, done: () => void): void {
  const socket = request.raw.socket;
  switch (faults.mode) {
    case 'hang':
      // Never answer and never continue: the request ends when the client gives up.
      reply.hijack();
      return;
    case 'reset':
      reply.hijack();
      socket.resetAndDestroy();
      return;
    case 'garbage':
      reply.hijack();
      socket.end(GARBAGE, () => socket.destroy());
      return;
    case null:
      break;
    default: {
      const never: never = faults.mode;
      return never;
    }
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
    injectedError(request, reply, faults.status);
    return;
  }
  done();
}

/**
 * Applies the current faults to every request but the exempt paths, before routing, auth
 * and body parsing (so "hang" and "reset" also hit requests that would fail anyway).
 * Latency comes first and is abandoned when the client goes away.
 */
export function installFaultInjection(fastify: FastifyInstance, state: FaultState): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const faults = state.current;
    if (!faults || FAULT_EXEMPT_PATHS.has(request.url.split('?', 1)[0] ?? '')) {
      done();
      return;
    }
    if (faults.latencyMs === 0) {
      misbehave(request, reply, faults, done);
      return;
    }
    const timer = setTimeout(() => misbehave(request, reply, faults, done), faults.latencyMs);
    reply.raw.once('close', () => clearTimeout(timer));
  });
}
