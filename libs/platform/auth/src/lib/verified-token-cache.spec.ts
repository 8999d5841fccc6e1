import type { Identity } from './identity';
import { VerifiedTokenCache } from './verified-token-cache';

const identity = (sub: string, expiresAt = Date.now() + 3_600_000) => ({ sub, expiresAt }) as Identity;

/** A full two-entry cache holding `a` (older) and `b`, and its clock. */
function fullCache() {
  const clock = { now: 1_000_000 };
  const cache = new VerifiedTokenCache(2, 60_000, () => clock.now);
  cache.set('a', identity('a', clock.now + 3_600_000));
  cache.set('b', identity('b', clock.now + 3_600_000));
  return { cache, clock };
}

describe('VerifiedTokenCache', () => {
  it('evicts the least recently used entry, counting a hit as use once a second at most', () => {
    const { cache, clock } = fullCache();
    clock.now += 1_000;
    expect(cache.get('a')?.sub).toBe('a'); // a becomes the most recent
    cache.set('c', identity('c', clock.now + 3_600_000));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.sub).toBe('a');
    expect(cache.get('c')?.sub).toBe('c');
  });

  it('does not reorder on hits within a second (no Map churn per request)', () => {
    const { cache, clock } = fullCache();
    clock.now += 10;
    expect(cache.get('a')?.sub).toBe('a');
    cache.set('c', identity('c', clock.now + 3_600_000));
    expect(cache.get('a')).toBeUndefined(); // still the oldest: evicted
    expect(cache.size).toBe(2);
  });

  it('never serves an entry at or after its expiry or its maximum age', () => {
    let clock = 1_000_000;
    const cache = new VerifiedTokenCache(10, 5_000, () => clock);
    cache.set('short', identity('short', clock + 2_000));
    cache.set('long', identity('long', clock + 3_600_000));
    clock += 2_000;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')?.sub).toBe('long');
    clock += 3_000;
    expect(cache.get('long')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('serves a hit only for the exact token, not for another one that ends the same', () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    const signature = 'S'.repeat(64);
    const verified = `header.payload-of-alice.${signature}`;
    cache.set(verified, identity('alice'));
    expect(cache.get(`header.payload-of-admin.${signature}`)).toBeUndefined();
    expect(cache.get(verified)?.sub).toBe('alice');
    // A second verified token with the same end takes the slot over; the first is a miss.
    cache.set(`header.payload-of-bob.${signature}`, identity('bob'));
    expect(cache.get(verified)).toBeUndefined();
    expect(cache.get(`header.payload-of-bob.${signature}`)?.sub).toBe('bob');
  });
});
