import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyV2, V1_DECIMAL_PATTERN } from './money.dto';

const NEXT_CURSOR = { description: 'Pass as `cursor` for the next page; absent on the last page', example: 'eyJmIjoiW251bGxdIn0' };

class ProductBase {
  @ApiProperty({ example: 'prod_001' }) id!: string;
  @ApiProperty({ example: 'SKU-0001' }) sku!: string;
  @ApiProperty({ example: 'Espresso cup' }) name!: string;
  @ApiProperty({ example: 'A small cup.' }) description!: string;
  @ApiProperty({ example: 'kitchen' }) category!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units in stock', example: 12 }) stock!: number;
  @ApiProperty({ enum: ['public', 'tenant'], description: '`tenant`: only your tenant sees this product', example: 'public' }) visibility!: 'public' | 'tenant';
}

/** v1 product: price as a decimal string plus the currency. */
export class ProductV1 extends ProductBase {
  @ApiProperty({ pattern: V1_DECIMAL_PATTERN, example: '12.99' }) price!: string;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

/** v2 product: price as `{ amount, currency }` in minor units. */
export class ProductV2 extends ProductBase {
  @ApiProperty({ type: MoneyV2 }) price!: MoneyV2;
}

export class ProductPageV1 {
  @ApiProperty({ type: [ProductV1] }) items!: ProductV1[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
}

export class ProductPageV2 {
  @ApiProperty({ type: [ProductV2] }) items!: ProductV2[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
}
