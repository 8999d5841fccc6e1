import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertScopes, authProblem, AUTH_DECISION_METADATA, REQUIRED_SCOPES_METADATA, type AuthDecision } from '@edge/auth';
import { PartnerAuthenticator } from '../auth/partner-authenticator';
import { attachCaller } from '../auth/partner-caller';
import { PublishedSchema } from '../contract/published-schema';
import { PartnerQuotas } from '../quotas/partner-quotas';
import { PARTNER_SETTINGS } from '../settings/partner-settings.token';
import type { PartnerSettings } from '../settings/partner-settings';
import { assertOwnTenant } from '../tenancy/tenant-isolation';
import { v1DeprecationHeaders } from './v1-deprecation';

/**
 * Routes of libs that cannot carry an auth decorator (the observability lib's /metrics), kept
 * anonymous as JwtAuthGuard's `anonymousRoutes` does. Health routes are Fastify's, not Nest's.
 */
const ANONYMOUS_ROUTES = new Set(['/metrics']);

interface RoutePolicy {
  decision: AuthDecision;
  scopes: readonly string[];
}

/**
 * Every partner request passes these steps, in this order (each may answer with a problem):
 *  1. `Cache-Control: no-store`, and v1 deprecation headers (on every v1 answer, errors included)
 *  2. authentication — OAuth client-credentials token or API key → the partner and its tenant (401)
 *  3. partner rate limit and quota, RateLimit headers on every answer (429)
 *  4. scopes the route needs (403)
 *  5. tenant isolation: no other tenant named anywhere (403)
 *  6. the published schema: path, query and body (400, every invalid field listed)
 * The app's only guard (global); a route without a decision is authenticated.
 */
@Injectable()
export class PartnerRequestGuard implements CanActivate {
  private readonly policies = new WeakMap<object, RoutePolicy>();
  private readonly deprecation: Record<string, string> | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: PartnerAuthenticator,
    private readonly quotas: PartnerQuotas,
    private readonly schema: PublishedSchema,
    @Inject(PARTNER_SETTINGS) settings: PartnerSettings,
  ) {
    this.deprecation = v1DeprecationHeaders(settings.v1Sunset, settings.v1DeprecatedAt);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const route = request.routeOptions.url ?? '';
    if (ANONYMOUS_ROUTES.has(route)) return true;
    // Partner data is per tenant and changes under commands: never stored by caches.
    reply.header('cache-control', 'no-store');
    if (this.deprecation && route.startsWith('/partner/v1/')) reply.headers(this.deprecation);
    const policy = this.policyOf(context);
    if (policy.decision === 'public') return true;

    const caller = await this.authenticator.authenticate(request);
    attachCaller(request, caller, request.edgeContext);
    reply.headers((await this.quotas.consume(caller)).headers);
    try {
      assertScopes(caller, policy.scopes);
    } catch (error) {
      throw authProblem(error) ?? error;
    }
    assertOwnTenant(request, caller.tenant);
    this.schema.validate(request.method, route, request);
    return true;
  }

  private policyOf(context: ExecutionContext): RoutePolicy {
    const handler = context.getHandler();
    let policy = this.policies.get(handler);
    if (!policy) {
      policy = {
        decision: this.reflector.getAllAndOverride<AuthDecision | undefined>(AUTH_DECISION_METADATA, [handler, context.getClass()]) ?? 'required',
        scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [context.getClass(), handler]) ?? [],
      };
      this.policies.set(handler, policy);
    }
    return policy;
  }
}
