import type { MobileMoneyDto } from './common.dto';

/** A product with the fields the app asked for (`fields=`); `id` is always there. */
export interface MobileProductDto {
  id: string;
  sku?: string;
  name?: string;
  description?: string;
  price?: MobileMoneyDto;
  category?: string;
  inStock?: boolean;
}

/** `GET /mobile/v1/products`. */
export interface MobileProductPageDto {
  items: MobileProductDto[];
  nextCursor?: string;
}
