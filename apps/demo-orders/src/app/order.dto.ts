import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyDto, PageQuery } from '@edge/demo-kit';
import { ORDER_STATUSES } from './order.model';

export class OrderItemView {
  @ApiProperty() productId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: MoneyDto }) unitPrice!: MoneyDto;
}

export class OrderViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() tenant!: string;
  @ApiProperty() userId!: string;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [OrderItemView] }) items!: OrderItemView[];
  @ApiProperty({ type: MoneyDto }) total!: MoneyDto;
}

export class OrderPage {
  @ApiProperty({ type: [OrderViewDto] }) items!: OrderViewDto[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only orders created at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdAfter?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only orders created before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdBefore?: string;
}

export class CreateOrderItemDto {
  @ApiProperty({ example: 'prod_001' })
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}$/, { message: 'productId must be a product id' })
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class CreateOrderDto {
  @ApiProperty({ type: [CreateOrderItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CreateOrderItemDto)
  items!: CreateOrderItemDto[];
}
