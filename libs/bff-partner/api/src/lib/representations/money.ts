const digitsByCurrency = new Map<string, number>();

/** ISO 4217 minor-unit digits of a currency (EUR 2, JPY 0, BHD 3), from the runtime's ICU data. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** Minor units as the decimal string of v1: 2599 EUR → "25.99", 5 EUR → "0.05", 100 JPY → "100". Exact (no floating point). */
export function decimalString(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer number of minor units (got ${amount})`);
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
