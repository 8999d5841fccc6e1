import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sendProblem, problem } from '@edge/problem-details';
import type { ConfigHolder } from './config-holder';
import { createProxyHandler } from './proxy-handler';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Registers the catch-all proxy route in its own Fastify context: every content type
 * passes through as an unread stream (the handler streams it upstream), and the reply is
 * hijacked so the handler owns the raw response. The gateway's own endpoints (/healthz,
 * /readyz, /metrics, portal, admin) are more specific routes and win.
 */
export function registerProxyRoutes(fastify: FastifyInstance, holder: ConfigHolder, log: Logger, accessLog: Logger = log): void {
  const handle = createProxyHandler({ holder, log, accessLog });
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    const handler = (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
      reply.hijack();
      const context = request.edgeContext;
      if (!context) {
        sendProblem(reply.raw, problem('internal'), { requestId: request.id });
        return;
      }
      return handle(request.raw, reply.raw, context);
    };
    scope.route({ method: [...METHODS], url: '/*', handler });
    scope.route({ method: [...METHODS], url: '/', handler });
  });
}
