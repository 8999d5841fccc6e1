import { isProblemException } from '@edge/problem-details';
import { createOrderBody } from './create-order.body';

function errorsOf(body: unknown): unknown {
  try {
    createOrderBody(body);
  } catch (error) {
    if (isProblemException(error)) return error.extensions['errors'];
  }
  throw new Error('expected a problem');
}

describe('POST /mobile/v1/orders body', () => {
  it('copies a valid order, field by field', () => {
    const body = { items: [{ productId: 'prod_001', quantity: 2 }] };
    const copy = createOrderBody(body);
    expect(copy).toEqual(body);
    expect(copy.items[0]).not.toBe(body.items[0]);
  });

  it('lists every problem at once', () => {
    expect(errorsOf({ items: [{ productId: 'PROD 1', quantity: 0, extra: true }, 'x'], coupon: 'FREE' })).toEqual([
      { field: 'coupon', detail: 'is not a known field' },
      { field: 'items[0].extra', detail: 'is not a known field' },
      { field: 'items[0].productId', detail: 'must be a product id' },
      { field: 'items[0].quantity', detail: 'must be an integer from 1 to 100' },
      { field: 'items[1]', detail: 'must be an object' },
    ]);
    expect(errorsOf({ items: [] })).toEqual([{ field: 'items', detail: 'must be an array of 1 to 50 items' }]);
    expect(errorsOf([1])).toEqual([{ field: '', detail: 'must be an object' }]);
  });
});
