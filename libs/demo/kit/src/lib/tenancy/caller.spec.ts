import type { Identity } from '@edge/auth';
import { isProblemException } from '@edge/problem-details';
import { canAccess, callerOf } from './caller';

const identity = (fields: Partial<Identity>): Identity => ({ sub: 'alice', scopes: new Set(), token: 't', claims: {}, expiresAt: 0, ...fields }) as Identity;

describe('callerOf / canAccess', () => {
  it('lets users reach their own resources in their tenant only', () => {
    const alice = callerOf(identity({ sub: 'alice', tenant: 'acme', clientId: 'bff-web' }));
    expect(alice).toEqual({ sub: 'alice', tenant: 'acme', tenantWide: false });
    expect(canAccess(alice, { tenant: 'acme', userId: 'alice' })).toBe(true);
    expect(canAccess(alice, { tenant: 'acme', userId: 'bob' })).toBe(false);
    expect(canAccess(alice, { tenant: 'globex', userId: 'alice' })).toBe(false);
  });

  it('makes client-credentials and known partner callers tenant-wide, never cross-tenant', () => {
    const direct = callerOf(identity({ sub: 'partner-acme', clientId: 'partner-acme', tenant: 'acme' }));
    const exchanged = callerOf(identity({ sub: 'partner-acme', clientId: 'bff-partner', tenant: 'acme' }));
    for (const partner of [direct, exchanged]) {
      expect(partner.tenantWide).toBe(true);
      expect(canAccess(partner, { tenant: 'acme', userId: 'bob' })).toBe(true);
      expect(canAccess(partner, { tenant: 'globex', userId: 'carol' })).toBe(false);
    }
    // A partner client id presented with another tenant is not tenant-wide there.
    expect(callerOf(identity({ sub: 'partner-acme', clientId: 'bff-partner', tenant: 'globex' })).tenantWide).toBe(false);
  });

  it('refuses tokens without a tenant (403) and missing identities (401)', () => {
    const error = (() => {
      try {
        callerOf(identity({ tenant: undefined }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isProblemException(error) && error.status).toBe(403);
    expect(() => callerOf(undefined)).toThrow();
  });
});
