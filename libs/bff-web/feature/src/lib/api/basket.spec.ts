import { ProblemException } from '@edge/problem-details';
import { parseBasket } from './basket';

function fieldErrors(raw: unknown): unknown {
  try {
    parseBasket(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).extensions['errors'];
  }
  throw new Error('accepted');
}

describe('parseBasket', () => {
  it('reads item=<productId>:<quantity>, merging repeated products', () => {
    expect(parseBasket('prod_001:2')).toEqual([{ productId: 'prod_001', quantity: 2 }]);
    expect(parseBasket(['prod_001:2', 'prod_007:1', 'prod_001:1'])).toEqual([
      { productId: 'prod_001', quantity: 3 },
      { productId: 'prod_007', quantity: 1 },
    ]);
  });

  it('refuses empty, malformed and oversized baskets with field errors', () => {
    expect(fieldErrors(undefined)).toEqual([{ field: 'item', detail: 'the basket is empty' }]);
    expect(fieldErrors(['prod_001:0', 'PROD:1', 'prod_002', 'prod_003:101'])).toHaveLength(4);
    expect(fieldErrors(Array.from({ length: 21 }, (_, i) => `prod_${i}:1`))).toEqual([{ field: 'item', detail: 'at most 20 products' }]);
    expect(fieldErrors(['prod_001:60', 'prod_001:60'])).toEqual([{ field: 'item', detail: 'prod_001: at most 100' }]);
  });
});
