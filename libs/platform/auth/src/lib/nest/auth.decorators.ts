import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { identityOf } from './request-identity';

/**
 * Metadata keys are plain strings on purpose: a lib that must not depend on auth (e.g. one
 * serving /metrics) can still declare `@SetMetadata('edge:auth:decision', 'public')`.
 */
export const AUTH_DECISION_METADATA = 'edge:auth:decision';
export const REQUIRED_SCOPES_METADATA = 'edge:auth:scopes';

/** public: anonymous, token ignored · optional: anonymous or a *valid* token · required (default). */
export type AuthDecision = 'public' | 'optional' | 'required';

/** Explicitly anonymous: no token needed, a presented one is ignored. */
export const Public = () => SetMetadata(AUTH_DECISION_METADATA, 'public' satisfies AuthDecision);

/** Anonymous allowed, but a presented token must be valid (an invalid one is 401, never anonymous). */
export const OptionalAuth = () => SetMetadata(AUTH_DECISION_METADATA, 'optional' satisfies AuthDecision);

/** A valid token is required. This is also what a route without any decision gets. */
export const RequireAuth = () => SetMetadata(AUTH_DECISION_METADATA, 'required' satisfies AuthDecision);

/**
 * Scopes the token must carry (all of them; class and method scopes add up). On an
 * @OptionalAuth route they apply when a token is presented.
 */
export const RequireScopes = (...scopes: string[]) => SetMetadata(REQUIRED_SCOPES_METADATA, scopes);

/** The validated Identity of the caller (undefined on anonymous calls to public/optional routes). */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext) => identityOf(context.switchToHttp().getRequest<object>()));
