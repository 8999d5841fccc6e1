import type { Identity } from '@edge/auth';
import type { RequestContext } from '@edge/observability';

/**
 * The authenticated partner, whichever credential it used. Tenant and partner always come
 * from the credential (the token's claims or the key's record), never from the request.
 * It is also the request context's `identity` (sub = partner), so logs name the partner and
 * outbound clients find the credential they need.
 */
export interface PartnerCaller {
  readonly sub: string;
  /** The partner's client id (e.g. partner-acme): for tokens `sub` = `client_id`, for keys the record's partner. */
  readonly clientId: string;
  readonly tenant: string;
  readonly scopes: ReadonlySet<string>;
  readonly credential: 'oauth' | 'api-key';
  /** The public id of the API key (api-key only). */
  readonly keyId?: string;
  /** The validated token (oauth only): exchanged for downstream tokens, never forwarded. */
  readonly identity?: Identity;
}

const CALLER = Symbol.for('edge.bff-partner.caller');

export function attachCaller(request: object, caller: PartnerCaller, context: RequestContext | undefined): void {
  (request as Record<symbol, unknown>)[CALLER] = caller;
  if (context) context.identity = caller;
}

export function callerOf(request: object): PartnerCaller | undefined {
  return (request as Record<symbol, PartnerCaller | undefined>)[CALLER];
}

/** The caller of the current request context (outbound calls and background operations). */
export function callerInContext(context: Pick<RequestContext, 'identity'> | undefined): PartnerCaller | undefined {
  const identity = context?.identity as Partial<PartnerCaller> | undefined;
  return identity?.credential === 'oauth' || identity?.credential === 'api-key' ? (identity as PartnerCaller) : undefined;
}

/** Partner and tenant: whose quotas, idempotency keys and operations these are. */
export function callerScope(caller: Pick<PartnerCaller, 'tenant' | 'clientId'>): string {
  return `${caller.tenant}/${caller.clientId}`;
}
