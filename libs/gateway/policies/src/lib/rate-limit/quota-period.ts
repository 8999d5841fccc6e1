/** One UTC calendar period: the quota of a day or a month starts over at its boundary. */
export interface CalendarPeriod {
  /** `2026-05-31` or `2026-05`: part of the bucket name, so each period has its own bucket. */
  readonly id: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly lengthMs: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function calendarPeriod(period: 'day' | 'month', now: number): CalendarPeriod {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'day') {
    const startMs = Date.UTC(y, m, d.getUTCDate());
    return { id: `${y}-${pad(m + 1)}-${pad(d.getUTCDate())}`, startMs, endMs: startMs + 86_400_000, lengthMs: 86_400_000 };
  }
  const startMs = Date.UTC(y, m, 1);
  const endMs = Date.UTC(y, m + 1, 1);
  return { id: `${y}-${pad(m + 1)}`, startMs, endMs, lengthMs: endMs - startMs };
}

/**
 * A calendar quota expressed on the state port's GCRA: a bucket of `limit` units refilled by
 * one unit per period length (emission interval T = period, so period = limit · T). Each
 * calendar period has its own bucket (the id is in the key) and lives shorter than T, so it
 * refills by less than one unit before it is abandoned: exactly `limit` units per period,
 * atomically, in memory or Redis, without a second counting algorithm.
 */
export function quotaSpec(limit: number, period: CalendarPeriod, cost: number): { limit: number; periodMs: number; cost: number } {
  return { limit, periodMs: limit * period.lengthMs, cost };
}
