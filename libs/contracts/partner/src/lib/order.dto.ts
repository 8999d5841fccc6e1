import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyV2, V1_DECIMAL_PATTERN } from './money.dto';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const ORDER_ID = { description: 'Order id', example: 'ord_0001' };
const CREATED_AT = { format: 'date-time', description: 'When the order was placed (UTC)', example: '2026-05-01T09:30:00.000Z' };
const PLACED_BY = { description: 'Who placed it: a user of the tenant, or the partner client', example: 'partner-acme' };
const NEXT_CURSOR = { description: 'Pass as `cursor` for the next page; absent on the last page', example: 'eyJmIjoiW1wiYWNtZVwiXSJ9' };

export class OrderItemV1 {
  @ApiProperty({ example: 'prod_001' }) productId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) quantity!: number;
  @ApiProperty({ pattern: V1_DECIMAL_PATTERN, description: 'Unit price as a decimal string in the order currency', example: '12.99' }) unitPrice!: string;
}

/** v1 order: prices are decimal strings and the currency is a field of the order. */
export class OrderV1 {
  @ApiProperty(ORDER_ID) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'pending' }) status!: OrderStatus;
  @ApiProperty(CREATED_AT) createdAt!: string;
  @ApiProperty(PLACED_BY) placedBy!: string;
  @ApiProperty({ description: 'ISO 4217 currency of every price of the order', example: 'EUR' }) currency!: string;
  @ApiProperty({ type: [OrderItemV1] }) items!: OrderItemV1[];
  @ApiProperty({ pattern: V1_DECIMAL_PATTERN, description: 'Total as a decimal string', example: '25.98' }) total!: string;
}

export class OrderItemV2 {
  @ApiProperty({ example: 'prod_001' }) productId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, example: 2 }) quantity!: number;
  @ApiProperty({ type: MoneyV2 }) unitPrice!: MoneyV2;
}

/** v2 order: every price is `{ amount, currency }` in minor units. */
export class OrderV2 {
  @ApiProperty(ORDER_ID) id!: string;
  @ApiProperty({ enum: ORDER_STATUSES, example: 'pending' }) status!: OrderStatus;
  @ApiProperty(CREATED_AT) createdAt!: string;
  @ApiProperty(PLACED_BY) placedBy!: string;
  @ApiProperty({ type: [OrderItemV2] }) items!: OrderItemV2[];
  @ApiProperty({ type: MoneyV2 }) total!: MoneyV2;
}

export class OrderPageV1 {
  @ApiProperty({ type: [OrderV1] }) items!: OrderV1[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
}

export class OrderPageV2 {
  @ApiProperty({ type: [OrderV2] }) items!: OrderV2[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
}

/** One line of a new order (the same in every version). */
export class CreateOrderItem {
  @ApiProperty({ pattern: '^[a-z0-9_]{1,64}$', description: 'A product id from GET /products', example: 'prod_001' })
  productId!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 2 })
  quantity!: number;
}

export class CreateOrderRequest {
  @ApiProperty({ type: [CreateOrderItem], minItems: 1, maxItems: 50 })
  items!: CreateOrderItem[];
}

export const MAX_BULK_ORDERS = 100;

export class BulkOrdersRequest {
  @ApiProperty({ type: [CreateOrderRequest], minItems: 1, maxItems: MAX_BULK_ORDERS, description: 'Each order is placed on its own: there is no all-or-nothing' })
  orders!: CreateOrderRequest[];
}
