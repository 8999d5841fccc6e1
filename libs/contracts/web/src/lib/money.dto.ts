/** An amount in minor units (cents) and its ISO 4217 currency. */
export interface MoneyDto {
  amount: number;
  currency: string;
}
