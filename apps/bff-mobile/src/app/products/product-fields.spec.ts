import { DEFAULT_PRODUCT_FIELDS, PRODUCT_FIELDS } from '@edge/contracts-mobile';
import { isProblemException } from '@edge/problem-details';
import type { UpstreamProduct } from '../downstream/upstream-types';
import { compactProduct, parseProductFields } from './product-fields';

const product: UpstreamProduct = {
  id: 'prod_001',
  sku: 'SKU-001',
  name: 'Compact Kettle',
  description: 'Boils water.',
  price: { amount: 2599, currency: 'EUR' },
  category: 'kitchen',
  stock: 0,
  visibility: 'public',
  costPrice: { amount: 1200, currency: 'EUR' },
  supplierCode: 'SUP-9',
};

describe('product fields', () => {
  it('defaults to the compact set and always includes id', () => {
    expect(parseProductFields(undefined)).toBe(DEFAULT_PRODUCT_FIELDS);
    expect(parseProductFields('name,price')).toEqual(['id', 'name', 'price']);
    expect(parseProductFields('name, name ,id')).toEqual(['id', 'name']);
  });

  it('refuses anything outside the allow-list with a 400 naming the field', () => {
    for (const raw of ['costPrice', 'name,supplierCode', 'stock', '', ',']) {
      let error: unknown;
      try {
        parseProductFields(raw);
      } catch (e) {
        error = e;
      }
      expect(isProblemException(error) && error.status).toBe(400);
      expect(isProblemException(error) && (error.extensions['errors'] as { field: string }[])[0]?.field).toBe('fields');
    }
  });

  it('copies exactly the selected fields, turns stock into inStock, and never copies internals', () => {
    expect(compactProduct(product, DEFAULT_PRODUCT_FIELDS)).toEqual({ id: 'prod_001', name: 'Compact Kettle', price: { amount: 2599, currency: 'EUR' }, inStock: false });
    const everything = compactProduct(product, PRODUCT_FIELDS);
    expect(Object.keys(everything).sort()).toEqual([...PRODUCT_FIELDS].sort());
    expect(JSON.stringify(everything)).not.toMatch(/costPrice|supplierCode|SUP-9|1200|visibility/);
  });
});
