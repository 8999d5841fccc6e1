import { DEV_USERS } from '@edge/demo-kit';
import type { CustomerProfile } from './customer.model';

const details: Record<string, Pick<CustomerProfile, 'tier' | 'address' | 'marketingOptIn' | 'riskScore'>> = {
  alice: { tier: 'gold', address: { line1: '1 Harbour Street', city: 'Hamburg', postalCode: '20095', country: 'DE' }, marketingOptIn: true, riskScore: 12 },
  bob: { tier: 'standard', address: { line1: '22 Canal Road', city: 'Amsterdam', postalCode: '1012 AB', country: 'NL' }, marketingOptIn: false, riskScore: 47 },
  carol: { tier: 'silver', address: { line1: '5 Quay Lane', city: 'Dublin', postalCode: 'D02 X285', country: 'IE' }, marketingOptIn: true, riskScore: 30 },
};

/** One profile per dev user, keyed by user id. */
export function seedCustomers(): Map<string, CustomerProfile> {
  return new Map(
    DEV_USERS.map((u) => [u.id, { id: u.id, tenant: u.tenant, name: u.name, email: u.email, ...(details[u.id] as (typeof details)[string]) }]),
  );
}
