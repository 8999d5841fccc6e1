import { ApiProperty } from '@nestjs/swagger';

/** v2 money: an integer amount in the currency's minor units (cents for EUR) and its ISO 4217 code. */
export class MoneyV2 {
  @ApiProperty({ type: 'integer', description: 'Amount in minor units of the currency (e.g. cents)', example: 2599 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code', pattern: '^[A-Z]{3}$', example: 'EUR' })
  currency!: string;
}

/** v1 money: a decimal string with the currency's number of fraction digits (the currency is a sibling field). */
export const V1_DECIMAL_PATTERN = '^-?\\d+(\\.\\d+)?$';
