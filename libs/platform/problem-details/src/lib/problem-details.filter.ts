import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblemResponse, type Correlation } from './problem-document';

/** Where an onError hook keeps Fastify's original error for the filter. */
export const ORIGINAL_ERROR = Symbol.for('edge.originalError');

export type Correlate = (request: FastifyRequest) => Correlation;

const defaultCorrelate: Correlate = (request) => ({ requestId: request.id, instance: request.url.split('?', 1)[0] });

/**
 * Global filter: every error of every Nest app (ours, Nest's, Fastify's body parser and
 * router) leaves as application/problem+json. Unexpected errors are logged with their
 * stack here and replaced by a generic 500 for the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(private readonly correlate: Correlate = defaultCorrelate) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Nest wraps Fastify's own errors (body parser, content type) in a bare HttpException;
    // the original, kept by an onError hook, says which problem it really is.
    const original = (request as unknown as Record<symbol, unknown>)[ORIGINAL_ERROR];
    const problem = toProblemResponse(original ?? exception, this.correlate(request));
    if (problem.unexpected) {
      this.logger.error({ err: exception, requestId: problem.body.requestId }, 'unhandled error');
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    reply.code(problem.status).headers({ ...problem.headers, 'cache-control': 'no-store' }).type(PROBLEM_CONTENT_TYPE);
    reply.send(JSON.stringify(problem.body));
  }
}
