import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { LoadedSession } from '@edge/bff-web-session';

const WEB_SESSION = Symbol.for('edge.bff-web.session');

/** Records the live session on the request (done by the WebRouteGuard for api routes). */
export function attachWebSession(request: object, session: LoadedSession): void {
  (request as Record<symbol, unknown>)[WEB_SESSION] = session;
}

export function webSessionOf(request: object): LoadedSession | undefined {
  return (request as Record<symbol, LoadedSession | undefined>)[WEB_SESSION];
}

/** The caller's live session on `api` routes (the guard guarantees one). */
export const CurrentWebSession = createParamDecorator((_data: unknown, context: ExecutionContext) => webSessionOf(context.switchToHttp().getRequest<object>()));
