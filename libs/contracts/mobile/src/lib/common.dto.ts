/** An amount in minor units (cents) of an ISO 4217 currency. */
export interface MobileMoneyDto {
  amount: number;
  currency: string;
}

/** One part of a composed response that was dropped or served stale (DESIGN.md §4). */
export interface MobileWarningDto {
  /** `<part>-unavailable`, e.g. `recommendations-unavailable`. */
  code: string;
  part: string;
  served: 'fallback' | 'stale';
  reason: 'timeout' | 'error';
  ageSeconds?: number;
}

/** A composed response: `warnings` is present only when it is partial. */
export interface MobilePartialDto {
  warnings?: MobileWarningDto[];
}
