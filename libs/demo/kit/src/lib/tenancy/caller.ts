import { invalidTokenProblem, TokenError, type Identity } from '@edge/auth';
import { problem } from '@edge/problem-details';
import { PARTNER_CLIENTS } from '../seed/dev-fixtures';

/** Who is calling, in the terms every demo service authorizes with. */
export interface Caller {
  sub: string;
  tenant: string;
  /** Partner clients act for their whole tenant; users only for themselves. */
  tenantWide: boolean;
}

export interface TenantOwned {
  tenant: string;
  userId: string;
}

/**
 * The caller of an authenticated request. A token without a tenant cannot touch tenant
 * data (403). Tenant-wide: a client-credentials token (sub == client_id), or a known partner
 * client of that tenant (exchanged tokens name the BFF in client_id).
 */
export function callerOf(identity: Identity | undefined): Caller {
  if (!identity) throw invalidTokenProblem(new TokenError('missing'));
  const tenant = identity.tenant;
  if (tenant === undefined) throw problem('forbidden', { detail: 'The access token carries no tenant.' });
  const tenantWide = identity.sub === identity.clientId || PARTNER_CLIENTS[identity.sub] === tenant;
  return { sub: identity.sub, tenant, tenantWide };
}

/** Same tenant, and either the owner or a tenant-wide caller. */
export function canAccess(caller: Caller, resource: TenantOwned): boolean {
  return resource.tenant === caller.tenant && (caller.tenantWide || resource.userId === caller.sub);
}

/** Another tenant's or another user's resource is "not found": existence is not disclosed. */
export function notFound(what: string): never {
  throw problem('not-found', { detail: `${what} was not found.` });
}
