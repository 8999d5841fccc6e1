import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { isPartialResponse, PARTIAL_RESPONSE_HEADER } from './partial-response';

/**
 * DESIGN.md §4: a partial composed response is 200 with `Partial-Response: true` and is never
 * cached (`Cache-Control: no-store`). Registered globally by CompositionModule; harmless on
 * routes that return anything else.
 */
@Injectable()
export class PartialResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        if (context.getType() === 'http' && isPartialResponse(body)) {
          const reply = context.switchToHttp().getResponse<FastifyReply>();
          reply.header(PARTIAL_RESPONSE_HEADER, 'true');
          reply.header('cache-control', 'no-store');
        }
        return body;
      }),
    );
  }
}
