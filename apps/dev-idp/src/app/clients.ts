import type { ClientMetadata } from 'oidc-provider';
import { PARTNER_DELEGATION_GRANT } from './partner-delegation.policy';
import { API_SCOPES, PARTNER_SCOPES } from './resource-servers';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

/** Client settings that can be overridden from the environment (see settings.ts). */
export interface ClientSettings {
  BFF_WEB_CLIENT_SECRET: string;
  BFF_WEB_REDIRECT_URIS: readonly string[];
  BFF_WEB_POST_LOGOUT_URIS: readonly string[];
  BFF_WEB_BACKCHANNEL_LOGOUT_URI: string;
}

/** Scopes a user-facing client may ask for: OIDC ones plus every API scope. */
const USER_CLIENT_SCOPE = ['openid', 'offline_access', 'profile', 'email', ...API_SCOPES].join(' ');

const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * The development clients of DESIGN.md §3. All are first-party: consent is granted
 * automatically (interactions.ts). `tenant` is extra client metadata carried into
 * client-credentials tokens; `delegation_partners` names the partners a BFF may act for.
 */
export function devClients(settings: ClientSettings): ClientMetadata[] {
  return [
    {
      client_id: 'bff-web',
      client_name: 'Web BFF',
      client_secret: settings.BFF_WEB_CLIENT_SECRET,
      // client_secret_post is accepted too: oidc-provider treats basic and post as one family.
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token', TOKEN_EXCHANGE_GRANT],
      response_types: ['code'],
      redirect_uris: unique(['http://localhost:8080/web/callback', 'http://localhost:3001/web/callback', ...settings.BFF_WEB_REDIRECT_URIS]),
      post_logout_redirect_uris: unique(['http://localhost:8080/web/', 'http://localhost:3001/web/', ...settings.BFF_WEB_POST_LOGOUT_URIS]),
      backchannel_logout_uri: settings.BFF_WEB_BACKCHANNEL_LOGOUT_URI,
      backchannel_logout_session_required: true,
      scope: USER_CLIENT_SCOPE,
    },
    serviceClient('bff-mobile', 'Mobile BFF', 'bff-mobile-secret'),
    // The partner BFF also serves API-key traffic, for which it obtains partner tokens by
    // delegation (partner-delegation.grant.ts), for these partners only.
    {
      ...serviceClient('bff-partner', 'Partner BFF', 'bff-partner-secret'),
      grant_types: [TOKEN_EXCHANGE_GRANT, 'client_credentials', PARTNER_DELEGATION_GRANT],
      delegation_partners: ['partner-acme', 'partner-globex'],
    },
    // The gateway's composite routes exchange the caller's edge token for each part's audience.
    serviceClient('gateway', 'API gateway (aggregation)', 'gateway-secret'),
    {
      client_id: 'mobile-app',
      client_name: 'Mobile app',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Loopback redirect: any port is accepted for native clients (RFC 8252 §7.3).
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: USER_CLIENT_SCOPE,
    },
    partnerClient('partner-acme', 'acme'),
    partnerClient('partner-globex', 'globex'),
  ];
}

/** A BFF's own confidential client: it exchanges incoming edge-api tokens for domain audiences. */
function serviceClient(clientId: string, name: string, secret: string): ClientMetadata {
  return {
    client_id: clientId,
    client_name: name,
    client_secret: secret,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [TOKEN_EXCHANGE_GRANT, 'client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: API_SCOPES.join(' '),
  };
}

function partnerClient(clientId: string, tenant: string): ClientMetadata {
  return {
    client_id: clientId,
    client_name: `Partner ${tenant}`,
    client_secret: `${clientId}-secret`,
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: PARTNER_SCOPES.join(' '),
    tenant,
  };
}
