import { ApiProperty } from '@nestjs/swagger';
import type { Money } from './catalog-seed';

/** OpenAPI shape of Money, for the services' response DTOs. */
export class MoneyDto implements Money {
  @ApiProperty({ description: 'Minor units (cents)' })
  amount!: number;

  @ApiProperty({ example: 'EUR' })
  currency!: string;
}
