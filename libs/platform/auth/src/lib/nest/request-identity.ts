import { currentRequestContext, type RequestContext } from '@edge/observability';
import type { Identity } from '../identity';

const IDENTITY = Symbol.for('edge.auth.identity');

/**
 * Records the validated identity on the request and in the request context, where logs,
 * outbound calls and code without the request (`currentRequestContext().identity`) find it.
 */
export function attachIdentity(request: object, identity: Identity): void {
  (request as Record<symbol, unknown>)[IDENTITY] = identity;
  const context = (request as { edgeContext?: RequestContext }).edgeContext ?? currentRequestContext();
  if (context) context.identity = identity;
}

/** The identity the auth guard validated for this request, if any. */
export function identityOf(request: object): Identity | undefined {
  return (request as Record<symbol, Identity | undefined>)[IDENTITY];
}
