import type { MobileMoneyDto } from './common.dto';

export type MobileOrderStatus = 'pending' | 'paid' | 'shipped' | 'cancelled';

/** A row of the order list (and of the home screen). */
export interface MobileOrderSummaryDto {
  id: string;
  status: MobileOrderStatus;
  createdAt: string;
  itemCount: number;
  total: MobileMoneyDto;
}

export interface MobileOrderLineDto {
  productId: string;
  quantity: number;
  unitPrice: MobileMoneyDto;
}

/** `GET /mobile/v1/orders/:id`, `POST /mobile/v1/orders`. */
export interface MobileOrderDto {
  id: string;
  status: MobileOrderStatus;
  createdAt: string;
  items: MobileOrderLineDto[];
  total: MobileMoneyDto;
}

/** `GET /mobile/v1/orders`: newest first; pass `nextCursor` back as `cursor` for more. */
export interface MobileOrderPageDto {
  items: MobileOrderSummaryDto[];
  nextCursor?: string;
}

/** `POST /mobile/v1/orders` body (with an `Idempotency-Key` header). */
export interface MobileCreateOrderDto {
  items: { productId: string; quantity: number }[];
}
