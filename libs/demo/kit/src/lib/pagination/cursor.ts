import { validationProblem } from '../validation/field-errors';

/** A position in a sorted list: the sort key of the last item served. */
export type CursorPosition = Readonly<Record<string, string | number>>;

interface CursorPayload {
  v: 1;
  p: CursorPosition;
  /** Fingerprint of the filters the cursor was made for. */
  f: string;
}

/** Opaque to clients: base64url JSON. Tied to the filters so it cannot be replayed on another query. */
export function encodeCursor(position: CursorPosition, filters = ''): string {
  const payload: CursorPayload = { v: 1, p: position, f: filters };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

const invalid = () => validationProblem([{ field: 'cursor', detail: 'is not a valid cursor for this query' }]);

/** The position in a cursor, or 400 when it is garbage or was made for other filters. */
export function decodeCursor(cursor: string, filters = ''): CursorPosition {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { v, p, f } = (payload ?? {}) as Partial<CursorPayload>;
  if (v !== 1 || f !== filters || typeof p !== 'object' || p === null || Array.isArray(p)) throw invalid();
  for (const value of Object.values(p)) if (typeof value !== 'string' && typeof value !== 'number') throw invalid();
  return p;
}
