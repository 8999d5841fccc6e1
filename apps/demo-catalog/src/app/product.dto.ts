import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CATEGORIES, MoneyDto, PageQuery, type CatalogProduct } from '@edge/demo-kit';

/** What clients see of a product: never the cost price or the supplier. */
export class ProductView {
  @ApiProperty() id!: string;
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: MoneyDto }) price!: MoneyDto;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() stock!: number;
  @ApiProperty({ enum: ['public', 'tenant'] }) visibility!: 'public' | 'tenant';
}

export class ProductPage {
  @ApiProperty({ type: [ProductView] }) items!: ProductView[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive search in name and description', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export function productView(product: CatalogProduct): ProductView {
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    price: { ...product.price },
    category: product.category,
    stock: product.stock,
    visibility: product.tenant === undefined ? 'public' : 'tenant',
  };
}
