import { isUpstreamError } from '@edge/http-client';
import { problem } from '@edge/problem-details';

function invalid(field: string, detail: string): never {
  throw problem('validation-failed', { detail: `${field}: ${detail}`, extensions: { errors: [{ field, detail }] } });
}

/** A page size: absent → the default; otherwise an integer in 1..max (anything else is a 400, never silently clamped). */
export function pageLimit(raw: string | undefined, defaultLimit: number, max: number): number {
  if (raw === undefined) return defaultLimit;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) invalid('limit', `must be an integer from 1 to ${max}`);
  return Number(raw);
}

/** An opaque cursor handed out by a previous page (base64url). */
export function pageCursor(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(raw)) invalid('cursor', 'must be a cursor from a previous page');
  return raw;
}

/**
 * Fetches a page with the client's cursor passed on. A cursor of the right shape can still be
 * stale or belong to another query; the dependency's 400 naming it is the client's mistake,
 * said in this API's terms (the generic mapping would answer a bare bad-request).
 */
export async function withPageCursor<T>(cursor: string | undefined, fetchPage: () => Promise<T>): Promise<T> {
  try {
    return await fetchPage();
  } catch (error) {
    if (cursor !== undefined && isUpstreamError(error) && error.fieldErrors()?.some((e) => e.field === 'cursor')) {
      invalid('cursor', 'must be a cursor from a previous page of the same query');
    }
    throw error;
  }
}

/** A resource id in a path (`ord_0001`, `prod_001`). */
export function resourceId(raw: string, field: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) invalid(field, 'is not a valid id');
  return raw;
}

/** A short free-text filter. */
export function textFilter(raw: string | undefined, field: string, maxLength: number): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length === 0 || raw.length > maxLength) invalid(field, `must be 1 to ${maxLength} characters`);
  return raw;
}

export { invalid };
