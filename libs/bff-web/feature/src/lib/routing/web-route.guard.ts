import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '@edge/problem-details';
import { BFF_WEB_OPTIONS, type BffWebOptions } from '../bff-web.options';
import { BrowserSessions } from '../session/browser-sessions';
import { attachWebSession } from '../session/web-request';
import { browserVerdict, normalizeOrigin } from './browser-checks';
import { WEB_ROUTE_METADATA, type WebRouteKind } from './web-route';

const KINDS: ReadonlySet<string> = new Set<WebRouteKind>(['page', 'api', 'session-info', 'form', 'back-channel']);

/**
 * Applies each route's declared kind (web-route.ts): anti-forgery checks first (403
 * `csrf-rejected`), then, on api routes, the session (401, never a redirect). Responses
 * of api and session-info routes are personal: never stored by any cache.
 *
 * Routes of other modules (health, metrics) are not bff-web routes and pass untouched;
 * a bff-web controller route without a kind is refused (fails closed).
 */
@Injectable()
export class WebRouteGuard implements CanActivate {
  private readonly logger = new Logger('WebRouteGuard');
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: BrowserSessions,
    @Inject(BFF_WEB_OPTIONS) options: BffWebOptions,
  ) {
    this.allowedOrigins = new Set(options.allowedOrigins.map((o) => normalizeOrigin(o) ?? o));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const kind = this.reflector.getAllAndOverride<string | undefined>(WEB_ROUTE_METADATA, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!request.url.startsWith('/web')) return true;
    if (kind === undefined || !KINDS.has(kind)) {
      this.logger.error({ route: request.routeOptions.url }, 'bff-web route without a web route kind: refused');
      throw problem('forbidden', { detail: 'This route has no access decision.' });
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const verdict = browserVerdict(kind as WebRouteKind, { method: request.method, headers: request.headers }, this.allowedOrigins);
    if (!verdict.ok) {
      this.logger.warn({ event: 'csrf.rejected', route: request.routeOptions.url, method: request.method, reason: verdict.reason }, 'request refused by anti-forgery checks');
      throw problem('csrf-rejected', { detail: `${verdict.reason}.` });
    }
    if (kind === 'api' || kind === 'session-info') reply.header('cache-control', 'no-store');
    if (kind === 'api') attachWebSession(request, await this.sessions.authenticate(request.headers, reply));
    return true;
  }
}
