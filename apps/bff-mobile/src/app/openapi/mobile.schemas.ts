import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  PRODUCT_FIELDS,
  type MobileCreateOrderDto,
  type MobileHomeDto,
  type MobileMoneyDto,
  type MobileOrderDto,
  type MobileOrderLineDto,
  type MobileOrderPageDto,
  type MobileOrderStatus,
  type MobileOrderSummaryDto,
  type MobileProductDto,
  type MobileProductPageDto,
  type MobileProfileSummaryDto,
  type MobileRecommendationDto,
  type MobileWarningDto,
} from '@edge/contracts-mobile';

/*
 * The published shapes (OpenAPI, /mobile/openapi.json) of the contract types. Each class
 * `implements` its contract interface, so a field the contract drops or retypes fails the
 * build; the e2e contract test checks real responses against this document with no
 * additional properties allowed.
 */

const ORDER_STATUSES: MobileOrderStatus[] = ['pending', 'paid', 'shipped', 'cancelled'];

export class MoneySchema implements MobileMoneyDto {
  @ApiProperty({ description: 'Minor units (cents)' }) amount!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class WarningSchema implements MobileWarningDto {
  @ApiProperty({ example: 'recommendations-unavailable' }) code!: string;
  @ApiProperty() part!: string;
  @ApiProperty({ enum: ['fallback', 'stale'] }) served!: 'fallback' | 'stale';
  @ApiProperty({ enum: ['timeout', 'error'] }) reason!: 'timeout' | 'error';
  @ApiPropertyOptional() ageSeconds?: number;
}

export class OrderSummarySchema implements MobileOrderSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: MobileOrderStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Units across all lines' }) itemCount!: number;
  @ApiProperty({ type: MoneySchema }) total!: MoneySchema;
}

export class OrderLineSchema implements MobileOrderLineDto {
  @ApiProperty() productId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: MoneySchema }) unitPrice!: MoneySchema;
}

export class OrderSchema implements MobileOrderDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: MobileOrderStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [OrderLineSchema] }) items!: OrderLineSchema[];
  @ApiProperty({ type: MoneySchema }) total!: MoneySchema;
}

export class OrderPageSchema implements MobileOrderPageDto {
  @ApiProperty({ type: [OrderSummarySchema] }) items!: OrderSummarySchema[];
  @ApiPropertyOptional({ description: 'Pass back as `cursor` for the next page' }) nextCursor?: string;
}

export class CreateOrderLineSchema {
  @ApiProperty({ example: 'prod_001' }) productId!: string;
  @ApiProperty({ minimum: 1, maximum: 100 }) quantity!: number;
}

export class CreateOrderSchema implements MobileCreateOrderDto {
  @ApiProperty({ type: [CreateOrderLineSchema], minItems: 1, maxItems: 50 }) items!: CreateOrderLineSchema[];
}

export class ProductSchema implements MobileProductDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional() sku?: string;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ type: MoneySchema }) price?: MoneySchema;
  @ApiPropertyOptional() category?: string;
  @ApiPropertyOptional() inStock?: boolean;
}

export class ProductPageSchema implements MobileProductPageDto {
  @ApiProperty({ type: [ProductSchema] }) items!: ProductSchema[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ProfileSummarySchema implements MobileProfileSummaryDto {
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'gold' }) tier!: string;
}

export class RecommendationSchema implements MobileRecommendationDto {
  @ApiProperty() productId!: string;
  @ApiProperty() reason!: string;
}

export class HomeSchema implements MobileHomeDto {
  @ApiProperty({ type: ProfileSummarySchema }) profile!: ProfileSummarySchema;
  @ApiProperty({ type: [OrderSummarySchema] }) recentOrders!: OrderSummarySchema[];
  @ApiProperty({ type: [RecommendationSchema] }) recommendations!: RecommendationSchema[];
  @ApiPropertyOptional({ type: [WarningSchema], description: 'Present only on partial responses (Partial-Response: true)' }) warnings?: WarningSchema[];
}

export const PRODUCT_FIELDS_DESCRIPTION = `Comma-separated subset of: ${PRODUCT_FIELDS.join(', ')} (id is always sent)`;
