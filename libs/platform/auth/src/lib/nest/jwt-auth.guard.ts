import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';
import { extractBearerToken } from '../bearer-token';
import { assertScopes } from '../identity';
import { authProblem, isInsufficientScopeError, isTokenError } from '../token-error';
import { AUTH_DECISION_METADATA, REQUIRED_SCOPES_METADATA, type AuthDecision } from './auth.decorators';
import { attachIdentity } from './request-identity';
import { TokenAuthenticator } from './token-authenticator';

export interface AuthGuardSettings {
  /** Scopes every authenticated request needs (the policy's requiredScopes). */
  requiredScopes: readonly string[];
  /**
   * Route templates that stay anonymous without a decorator: controllers owned by libs that
   * cannot import auth (the observability /metrics controller). Default ['/metrics'].
   */
  anonymousRoutes: readonly string[];
}
export const AUTH_GUARD_SETTINGS = Symbol('AUTH_GUARD_SETTINGS');

interface RouteAuth {
  decision: AuthDecision;
  scopes: readonly string[];
}

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  routeOptions?: { url?: string };
}

const rejections = new Counter({
  name: 'auth_token_rejections_total',
  help: 'Requests refused by the auth guard, by reason (insufficient-scope for 403s)',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

/**
 * The one auth decision point of a Nest app (register it globally). A route is
 * authenticated unless it says otherwise (@Public, @OptionalAuth), so forgetting a
 * decorator fails closed. Scopes from @RequireScopes and the policy are checked after the
 * token; the identity lands on the request and in the request context. The per-route
 * decision is computed once per handler, not per request.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly routes = new WeakMap<object, RouteAuth>();
  private readonly anonymousRoutes: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenAuthenticator) private readonly authenticator: TokenAuthenticator,
    @Inject(AUTH_GUARD_SETTINGS) private readonly settings: AuthGuardSettings,
  ) {
    this.anonymousRoutes = new Set(settings.anonymousRoutes);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.routeAuth(context);
    if (route.decision === 'public') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const header = request.headers['authorization'];
    if (route.decision === 'optional' && header === undefined) return true;
    if (route.decision === 'required' && this.anonymousRoutes.has(request.routeOptions?.url ?? '')) return true;
    try {
      const identity = await this.authenticator.authenticate(extractBearerToken(header), request);
      assertScopes(identity, route.scopes);
      attachIdentity(request, identity);
      return true;
    } catch (error) {
      rejections.inc({ reason: isTokenError(error) ? error.reason : isInsufficientScopeError(error) ? 'insufficient-scope' : 'error' });
      throw authProblem(error) ?? error;
    }
  }

  /** Decision and scopes of a handler; `protected` so apps can extend the rules. */
  protected routeAuth(context: ExecutionContext): RouteAuth {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      const targets = [handler, context.getClass()];
      // Class scopes first, then the method's: the order the 403 challenge lists them in.
      const scopes = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [context.getClass(), handler]) ?? [];
      route = {
        decision: this.reflector.getAllAndOverride<AuthDecision | undefined>(AUTH_DECISION_METADATA, targets) ?? 'required',
        scopes: [...new Set([...this.settings.requiredScopes, ...scopes])],
      };
      this.routes.set(handler, route);
    }
    return route;
  }
}
