import type { MobileCreateOrderDto } from '@edge/contracts-mobile';
import { problem } from '@edge/problem-details';

interface FieldError {
  field: string;
  detail: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the shape of `POST /mobile/v1/orders` (every problem listed) and copies only the
 * known fields, so nothing the app sends beyond the contract reaches the orders service.
 * Business rules (product visibility, prices, idempotency) stay with the orders service.
 */
export function createOrderBody(body: unknown): MobileCreateOrderDto {
  const errors: FieldError[] = [];
  if (!isRecord(body)) throw problem('validation-failed', { detail: 'The body must be a JSON object.', extensions: { errors: [{ field: '', detail: 'must be an object' }] } });
  for (const key of Object.keys(body)) if (key !== 'items') errors.push({ field: key, detail: 'is not a known field' });
  const items = body['items'];
  const out: MobileCreateOrderDto['items'] = [];
  if (!Array.isArray(items) || items.length < 1 || items.length > 50) {
    errors.push({ field: 'items', detail: 'must be an array of 1 to 50 items' });
  } else {
    items.forEach((item, i) => {
      if (!isRecord(item)) {
        errors.push({ field: `items[${i}]`, detail: 'must be an object' });
        return;
      }
      for (const key of Object.keys(item)) if (key !== 'productId' && key !== 'quantity') errors.push({ field: `items[${i}].${key}`, detail: 'is not a known field' });
      const { productId, quantity } = item;
      if (typeof productId !== 'string' || !/^[a-z0-9_]{1,64}$/.test(productId)) errors.push({ field: `items[${i}].productId`, detail: 'must be a product id' });
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 100) errors.push({ field: `items[${i}].quantity`, detail: 'must be an integer from 1 to 100' });
      out.push({ productId: productId as string, quantity: quantity as number });
    });
  }
  if (errors.length > 0) throw problem('validation-failed', { detail: 'The order is not valid.', extensions: { errors } });
  return { items: out };
}
