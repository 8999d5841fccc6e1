import { DEFAULT_PRODUCT_FIELDS, PRODUCT_FIELDS, type MobileProductDto, type ProductField } from '@edge/contracts-mobile';
import { problem } from '@edge/problem-details';
import type { UpstreamProduct } from '../downstream/upstream-types';
import { money } from '../orders/order.mapper';

const ALLOWED: ReadonlySet<string> = new Set(PRODUCT_FIELDS);

/** `fields=name,price` → the selected fields (id always); anything outside the allow-list is a 400. */
export function parseProductFields(raw: string | undefined): readonly ProductField[] {
  if (raw === undefined) return DEFAULT_PRODUCT_FIELDS;
  const names = raw.split(',').map((f) => f.trim());
  const unknown = names.filter((f) => !ALLOWED.has(f));
  if (raw.length > 200 || names.length === 0 || unknown.length > 0) {
    throw problem('validation-failed', {
      detail: `fields may only name: ${PRODUCT_FIELDS.join(', ')}.`,
      extensions: { errors: [{ field: 'fields', detail: unknown.length > 0 ? `unknown field(s): ${unknown.slice(0, 5).map((f) => JSON.stringify(f.slice(0, 40))).join(', ')}` : 'must list at least one field' }] },
    });
  }
  return [...new Set<ProductField>(['id', ...(names as ProductField[])])];
}

const pickers: { [F in ProductField]: (p: UpstreamProduct) => MobileProductDto[F] } = {
  id: (p) => p.id,
  sku: (p) => p.sku,
  name: (p) => p.name,
  description: (p) => p.description,
  price: (p) => money(p.price),
  category: (p) => p.category,
  inStock: (p) => p.stock > 0,
};

/** The compact product with exactly the selected fields (stock becomes a boolean; internals never copied). */
export function compactProduct(product: UpstreamProduct, fields: readonly ProductField[]): MobileProductDto {
  const dto: Record<string, unknown> = {};
  for (const field of fields) dto[field] = pickers[field](product);
  return dto as unknown as MobileProductDto;
}
