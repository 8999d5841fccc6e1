/**
 * One part of a composed screen that could not be served fresh (DESIGN.md §4 partial
 * responses): the response is still 200, carries `Partial-Response: true` and is never
 * cached, and the SPA shows a "some content unavailable" notice.
 */
export interface WarningDto {
  /** `<part>-unavailable`, e.g. `recommendations-unavailable`. */
  code: string;
  part: string;
  /** What was served instead: the part's fallback (e.g. null) or a recent earlier value. */
  served: 'fallback' | 'stale';
  reason: 'timeout' | 'error';
  ageSeconds?: number;
}

/** Every composed response may carry warnings; whole responses have none. */
export interface PartialDto {
  warnings?: WarningDto[];
}
