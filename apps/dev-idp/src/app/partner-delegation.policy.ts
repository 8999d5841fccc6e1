import { errors } from 'oidc-provider';

/**
 * Partner delegation: how the partner BFF obtains a domain-API token for traffic that
 * authenticated with a partner's API key (there is no partner token to exchange). The BFF
 * authenticates as itself and names the partner client the key is bound to and the key's
 * tenant; dev-idp checks that this BFF is configured to act for that partner and that the
 * tenant is the partner's own, and issues a token whose subject is the partner.
 */
export const PARTNER_DELEGATION_GRANT = 'urn:edge:params:oauth:grant-type:partner-delegation';

export interface DelegationRequest {
  partner?: string;
  tenant?: string;
  resource?: string | string[];
  audience?: string | string[];
  scope?: string;
}

/** What the authenticated client's metadata and the named partner's metadata say. */
export interface DelegationParties {
  clientId: string;
  /** Partner client ids this client may act for (client metadata `delegation_partners`). */
  delegates: readonly string[];
  /** The named partner client, if it exists. */
  partner: { clientId: string; tenant: string | undefined; scope: string | undefined } | undefined;
}

const PARTNER_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The partner named in the request, after every check; throws the OAuth error to answer otherwise. */
export function checkDelegation(params: DelegationRequest, parties: DelegationParties): { partner: string; tenant: string; partnerScope: string } {
  if (!params.partner) throw new errors.InvalidRequest('missing required parameter partner');
  if (!params.tenant) throw new errors.InvalidRequest('missing required parameter tenant');
  if (!PARTNER_ID.test(params.partner)) throw new errors.InvalidRequest('partner is not a client id');
  // One answer for "not a partner" and "not yours": a BFF learns nothing about other clients.
  if (!parties.delegates.includes(params.partner) || !parties.partner || parties.partner.clientId !== params.partner) {
    throw new errors.UnauthorizedClient(`${parties.clientId} may not act for this partner`);
  }
  const tenant = parties.partner.tenant;
  if (tenant === undefined) throw new errors.InvalidGrant('the partner has no tenant');
  // The key's tenant must be the partner's own: a key can never reach another tenant's data.
  if (params.tenant !== tenant) throw new errors.InvalidGrant('tenant is not the partner’s tenant');
  return { partner: params.partner, tenant, partnerScope: parties.partner.scope ?? '' };
}
