/** The development identities of DESIGN.md §3, as the demo services know them. */
export const DEV_TENANTS = ['acme', 'globex'] as const;
export type DevTenant = (typeof DEV_TENANTS)[number];

export interface DevUser {
  id: string;
  tenant: DevTenant;
  name: string;
  email: string;
}

/** `sub` of dev-idp user tokens is the login name. */
export const DEV_USERS: readonly DevUser[] = [
  { id: 'alice', tenant: 'acme', name: 'Alice Anderson', email: 'alice@acme.example' },
  { id: 'bob', tenant: 'acme', name: 'Bob Brown', email: 'bob@acme.example' },
  { id: 'carol', tenant: 'globex', name: 'Carol Chen', email: 'carol@globex.example' },
];

/**
 * Partner clients act for their whole tenant. Their tokens have `sub` = the client id (client
 * credentials); after a token exchange `client_id` names the exchanging BFF, so the sub is
 * what identifies them.
 */
export const PARTNER_CLIENTS: Readonly<Record<string, DevTenant>> = {
  'partner-acme': 'acme',
  'partner-globex': 'globex',
};
