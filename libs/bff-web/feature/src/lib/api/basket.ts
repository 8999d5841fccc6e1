import { problem } from '@edge/problem-details';
import type { BasketItemDto } from '@edge/contracts-web';

export const MAX_BASKET_LINES = 20;
const ITEM = /^([a-z0-9_]{1,64}):(\d{1,3})$/;

/**
 * The basket of `GET /web/api/checkout-summary?item=prod_001:2&item=...`: 1..20 distinct
 * products, quantities 1..100 (the orders service checks again when the order is placed).
 */
export function parseBasket(raw: unknown): BasketItemDto[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const errors: { field: string; detail: string }[] = [];
  const items = new Map<string, number>();
  values.forEach((value, i) => {
    const match = typeof value === 'string' ? ITEM.exec(value) : null;
    const quantity = match ? Number(match[2]) : 0;
    if (!match || quantity < 1 || quantity > 100) {
      errors.push({ field: `item[${i}]`, detail: 'must be <productId>:<quantity 1..100>' });
      return;
    }
    items.set(match[1] as string, (items.get(match[1] as string) ?? 0) + quantity);
  });
  if (values.length === 0) errors.push({ field: 'item', detail: 'the basket is empty' });
  if (items.size > MAX_BASKET_LINES) errors.push({ field: 'item', detail: `at most ${MAX_BASKET_LINES} products` });
  for (const [productId, quantity] of items) if (quantity > 100) errors.push({ field: 'item', detail: `${productId}: at most 100` });
  if (errors.length > 0) throw problem('validation-failed', { extensions: { errors } });
  return [...items].map(([productId, quantity]) => ({ productId, quantity }));
}
