import { decodeCursor, encodeCursor, type CursorPosition } from './cursor';

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}

export interface KeysetOptions<T> {
  limit: number;
  cursor?: string;
  /** Fingerprint of the filters (cursors are only valid for the same filters). */
  filters?: string;
  /** The sort key of an item, stored in the cursor. */
  positionOf: (item: T) => CursorPosition;
  /** Whether an item sorts strictly after a position (same order as `sorted`). */
  isAfter: (item: T, position: CursorPosition) => boolean;
}

/**
 * Keyset pagination over an already sorted, filtered list: stable under inserts (a cursor
 * names a position, not an offset) and never skips or repeats an item.
 */
export function keysetPage<T>(sorted: readonly T[], options: KeysetOptions<T>): Page<T> {
  let start = 0;
  if (options.cursor !== undefined) {
    const position = decodeCursor(options.cursor, options.filters);
    start = sorted.findIndex((item) => options.isAfter(item, position));
    if (start === -1) start = sorted.length;
  }
  const items = sorted.slice(start, start + options.limit);
  const last = items[items.length - 1];
  const more = start + options.limit < sorted.length;
  return more && last !== undefined ? { items, nextCursor: encodeCursor(options.positionOf(last), options.filters) } : { items };
}
