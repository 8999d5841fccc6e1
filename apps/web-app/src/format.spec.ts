import { formatMoney, unavailableNotice } from './format';
import { Basket } from './basket';

describe('SPA helpers', () => {
  it('formats minor units as currency', () => {
    expect(formatMoney({ amount: 1250, currency: 'EUR' })).toBe('€12.50');
    expect(formatMoney({ amount: 5, currency: 'EUR' })).toBe('€0.05');
  });

  it('names the missing parts of a partial response, and nothing for a whole one', () => {
    expect(unavailableNotice(undefined)).toBeUndefined();
    expect(unavailableNotice([])).toBeUndefined();
    expect(
      unavailableNotice([
        { code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'timeout' },
        { code: 'products-unavailable', part: 'products', served: 'fallback', reason: 'error' },
      ]),
    ).toBe('Some content is unavailable right now (recommendations, products).');
  });

  it('keeps a basket whose fingerprint changes with its content', () => {
    const basket = new Basket();
    basket.add('prod_002');
    basket.add('prod_001', 2);
    const before = basket.fingerprint();
    expect(basket.lines()).toEqual([
      { productId: 'prod_002', quantity: 1 },
      { productId: 'prod_001', quantity: 2 },
    ]);
    basket.add('prod_001');
    expect(basket.fingerprint()).not.toBe(before);
    basket.add('prod_001', 500);
    expect(basket.lines()[1]?.quantity).toBe(100);
    basket.clear();
    expect(basket.size).toBe(0);
  });
});
