import type { MoneyDto, WarningDto } from '@edge/contracts-web';

/** Minor units → "€12.50" (the services count cents). */
export function formatMoney(money: MoneyDto, locale = 'en-GB'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount / 100);
}

export function formatDate(iso: string, locale = 'en-GB'): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** The notice shown for a partial response: which parts of the screen are missing. */
export function unavailableNotice(warnings: readonly WarningDto[] | undefined): string | undefined {
  if (!warnings || warnings.length === 0) return undefined;
  const parts = [...new Set(warnings.map((w) => w.part))].join(', ');
  return `Some content is unavailable right now (${parts}).`;
}
