import { errors, type Client, type Provider, type TokenEndpointGrantContext } from 'oidc-provider';
import { toResourceServerInfo } from './resource-servers';
import { checkDelegation, PARTNER_DELEGATION_GRANT, type DelegationRequest } from './partner-delegation.policy';
import { exchangedScope, resolveTarget } from './token-exchange.policy';
import type { ExchangedClaims } from './token-exchange.grant';

/** `gty` recorded on delegated tokens (extraTokenClaims and the JWT customizer key on it). */
export const DELEGATION_GTY = 'partner_delegation';

const PARAMETERS = ['partner', 'tenant', 'resource', 'audience', 'scope'];

function metadata(client: Client, name: string): unknown {
  return (client as unknown as Record<string, unknown>)[name];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The partner-delegation grant (see partner-delegation.policy.ts): a confidential client
 * configured with `delegation_partners` gets a token for one domain API whose `sub` and
 * `client_id` are the partner's, `tenant` the partner's (checked against the request),
 * scopes within what the partner may hold and the API understands, and `act.sub` naming
 * the delegating client — the same shape as an exchanged partner token.
 */
export function registerPartnerDelegation(provider: Provider, options: { accessTokenTtlSeconds: number }): void {
  provider.registerGrantType(
    PARTNER_DELEGATION_GRANT,
    async (ctx: TokenEndpointGrantContext<DelegationRequest>) => {
      const { client, params } = ctx.oidc;
      if (client.clientAuthMethod === 'none') throw new errors.UnauthorizedClient('public clients may not act for partners');
      const partnerId = typeof params.partner === 'string' ? params.partner : undefined;
      const partnerClient = partnerId ? await provider.Client.find(partnerId).catch(() => undefined) : undefined;
      const checked = checkDelegation(params, {
        clientId: client.clientId,
        delegates: stringList(metadata(client, 'delegation_partners')),
        partner: partnerClient
          ? {
              clientId: partnerClient.clientId,
              tenant: typeof metadata(partnerClient, 'tenant') === 'string' ? (metadata(partnerClient, 'tenant') as string) : undefined,
              scope: partnerClient.scope,
            }
          : undefined,
      });
      const target = resolveTarget(params);
      const scope = exchangedScope(params.scope, checked.partnerScope, target);

      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.accessTokenTtlSeconds;
      const extra: ExchangedClaims = { client_id: checked.partner, tenant: checked.tenant, act: { sub: client.clientId } };
      const token = new provider.AccessToken({
        accountId: checked.partner,
        client,
        gty: DELEGATION_GTY,
        scope: scope.join(' '),
        iat: now,
        exp: now + expiresIn,
        expiresIn,
        extra,
      } as unknown as ConstructorParameters<typeof provider.AccessToken>[0]);
      token.resourceServer = new provider.ResourceServer(target.indicator, toResourceServerInfo(target, options.accessTokenTtlSeconds));
      ctx.oidc.entity('AccessToken', token);
      const accessToken = await token.save();
      ctx.body = { access_token: accessToken, token_type: 'Bearer', expires_in: token.expiration, scope: token.scope };
    },
    PARAMETERS,
  );
}
