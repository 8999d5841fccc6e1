/**
 * One part of a composed screen that could not be served (DESIGN.md §4 partial responses):
 * the response is still 200, carries `Partial-Response: true` and is never cached, and the
 * SPA shows a "some content unavailable" notice.
 */
export interface WarningDto {
  /** `<part>-unavailable`, e.g. `recommendations-unavailable`. */
  code: string;
  detail?: string;
}

/** Every composed response may carry warnings. */
export interface PartialDto {
  warnings?: WarningDto[];
}
