import { findProduct } from '@edge/demo-kit';
import { recommend } from './recommend';

describe('recommend', () => {
  it('is deterministic per user, bounded, and only names products the tenant may see', () => {
    const alice = recommend('alice', 'acme', 20);
    expect(recommend('alice', 'acme', 20)).toEqual(alice);
    expect(alice).toHaveLength(20);
    expect(recommend('bob', 'acme', 20)).not.toEqual(alice);
    for (const r of [...alice, ...recommend('carol', 'globex', 20)]) {
      expect(findProduct(r.productId)).toBeDefined();
    }
    const all = recommend('carol', 'globex', 100);
    expect(all.some((r) => r.productId.startsWith('prod_acme_'))).toBe(false);
    expect(all.some((r) => r.productId.startsWith('prod_globex_'))).toBe(true);
    expect([...all].sort((a, b) => b.score - a.score).map((r) => r.score)).toEqual(all.map((r) => r.score));
  });
});
