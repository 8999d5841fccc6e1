import { checkDelegation, type DelegationParties } from './partner-delegation.policy';

const parties: DelegationParties = {
  clientId: 'bff-partner',
  delegates: ['partner-acme', 'partner-globex'],
  partner: { clientId: 'partner-acme', tenant: 'acme', scope: 'catalog:read orders:read orders:write' },
};

describe('partner delegation policy', () => {
  it('accepts a configured partner with its own tenant and hands back its scopes', () => {
    expect(checkDelegation({ partner: 'partner-acme', tenant: 'acme' }, parties)).toEqual({
      partner: 'partner-acme',
      tenant: 'acme',
      partnerScope: 'catalog:read orders:read orders:write',
    });
  });

  it('requires partner and tenant, and a well-formed partner id', () => {
    for (const params of [{ tenant: 'acme' }, { partner: 'partner-acme' }, { partner: 'Partner Acme!', tenant: 'acme' }]) {
      expect(() => checkDelegation(params, parties)).toThrow(expect.objectContaining({ error: 'invalid_request', statusCode: 400 }));
    }
  });

  it('refuses partners the client is not configured for, and clients configured for none, alike', () => {
    const other = { ...parties, partner: { clientId: 'partner-initech', tenant: 'initech', scope: 'orders:read' } };
    expect(() => checkDelegation({ partner: 'partner-initech', tenant: 'initech' }, other)).toThrow(expect.objectContaining({ error: 'unauthorized_client' }));
    expect(() => checkDelegation({ partner: 'partner-acme', tenant: 'acme' }, { ...parties, delegates: [] })).toThrow(expect.objectContaining({ error: 'unauthorized_client' }));
    // Configured but unknown to the IdP: the same answer.
    expect(() => checkDelegation({ partner: 'partner-acme', tenant: 'acme' }, { ...parties, partner: undefined })).toThrow(expect.objectContaining({ error: 'unauthorized_client' }));
  });

  it("refuses a tenant that is not the partner's own", () => {
    expect(() => checkDelegation({ partner: 'partner-acme', tenant: 'globex' }, parties)).toThrow(expect.objectContaining({ error: 'invalid_grant' }));
    expect(() => checkDelegation({ partner: 'partner-acme', tenant: 'acme' }, { ...parties, partner: { clientId: 'partner-acme', tenant: undefined, scope: '' } })).toThrow(
      expect.objectContaining({ error: 'invalid_grant' }),
    );
  });
});
