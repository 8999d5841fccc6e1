import { isProblemException } from '@edge/problem-details';
import { assertOwnTenant } from './tenant-isolation';

const refused = (request: Parameters<typeof assertOwnTenant>[0]) => {
  try {
    assertOwnTenant(request, 'acme');
    return false;
  } catch (error) {
    if (isProblemException(error) && error.status === 403) return true;
    throw error;
  }
};

describe('assertOwnTenant', () => {
  it('refuses another tenant named in a tenant header, whatever its case', () => {
    for (const header of ['x-tenant-id', 'x-tenant', 'tenant', 'tenant-id', 'x-org-id']) {
      expect(refused({ headers: { [header]: 'globex' } })).toBe(true);
    }
    expect(refused({ headers: { 'x-tenant-id': ['acme', 'globex'] } })).toBe(true);
    expect(refused({ headers: { 'x-tenant-id': 'ACME ' } })).toBe(false);
  });

  it('refuses another tenant named by any tenant-like parameter or field, at any depth', () => {
    for (const query of [{ tenant: 'globex' }, { tenantId: 'globex' }, { TENANT_ID: 'globex' }, { 'x-tenant-id': 'globex' }, { organization: 'globex' }, { orgId: ['acme', 'globex'] }]) {
      expect({ query, refused: refused({ headers: {}, query }) }).toEqual({ query, refused: true });
    }
    expect(refused({ headers: {}, body: { items: [{ productId: 'p', tenant: 'globex' }] } })).toBe(true);
    expect(refused({ headers: {}, body: { orders: [{ meta: { tenant_name: 'globex' } }] } })).toBe(true);
    expect(refused({ headers: {}, body: { tenant: { id: 'globex' } } })).toBe(true);
  });

  it('lets requests through that name no tenant or only their own', () => {
    expect(refused({ headers: { accept: 'application/json' }, query: { status: 'paid' }, body: { items: [{ productId: 'prod_globex_101', quantity: 1 }] } })).toBe(false);
    expect(refused({ headers: {}, query: { tenant: 'acme' }, body: { tenantId: 'Acme' } })).toBe(false);
    expect(refused({ headers: {}, body: 'tenant=globex' })).toBe(false);
  });
});
