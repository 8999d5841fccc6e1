import type { MoneyDto } from './money.dto';
import type { PartialDto } from './warning.dto';

/** A basket line as the SPA holds it. */
export interface BasketItemDto {
  productId: string;
  quantity: number;
}

/**
 * `GET /web/api/checkout-summary?item=prod_001:2&item=prod_007:1`: the priced basket and the
 * delivery address, before the user confirms.
 */
export interface CheckoutSummaryDto extends PartialDto {
  lines: CheckoutLineDto[];
  total: MoneyDto;
  deliveryAddress: AddressDto;
}

export interface CheckoutLineDto {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: MoneyDto;
  lineTotal: MoneyDto;
}

export interface AddressDto {
  name: string;
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** `POST /web/api/checkout` body; the request carries an `Idempotency-Key` header. */
export interface CheckoutRequestDto {
  items: BasketItemDto[];
}

/**
 * `GET /web/api/orders/:id`, and the answer of `POST /web/api/checkout` (201 with
 * `Location`; a retry with the same Idempotency-Key replays it with `Idempotent-Replayed: true`).
 */
export interface OrderDetailsDto extends PartialDto {
  id: string;
  status: string;
  createdAt: string;
  lines: OrderLineDto[];
  total: MoneyDto;
}

export interface OrderLineDto {
  productId: string;
  /** Null when the catalog part was unavailable (see `warnings`). */
  name: string | null;
  quantity: number;
  unitPrice: MoneyDto;
}
