import { isProblemException } from '@edge/problem-details';
import { decodeCursor, encodeCursor } from './cursor';
import { keysetPage } from './keyset-page';

interface Row {
  at: string;
  id: string;
}
// createdAt desc, then id desc: ties on `at` are broken by id so the order is total.
const rows: Row[] = [
  { at: '2026-03-01', id: 'c' },
  { at: '2026-03-01', id: 'b' },
  { at: '2026-02-01', id: 'z' },
  { at: '2026-01-01', id: 'a' },
  { at: '2026-01-01', id: '0' },
];
const options = {
  positionOf: (r: Row) => ({ at: r.at, id: r.id }),
  isAfter: (r: Row, p: Record<string, string | number>) => r.at < String(p['at']) || (r.at === p['at'] && r.id < String(p['id'])),
};

describe('keysetPage', () => {
  it('walks the whole list page by page without skipping or repeating', () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = keysetPage(rows, { ...options, limit: 2, ...(cursor ? { cursor } : {}), filters: 'f' });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(['c', 'b', 'z', 'a', '0']);
    expect(pages).toBe(3);
  });

  it('has no next cursor when the page ends the list exactly', () => {
    expect(keysetPage(rows, { ...options, limit: 5 }).nextCursor).toBeUndefined();
    expect(keysetPage(rows, { ...options, limit: 4 }).nextCursor).toBeDefined();
  });

  it('stays stable when items are inserted before the cursor', () => {
    const first = keysetPage(rows, { ...options, limit: 2 });
    const grown = [{ at: '2026-04-01', id: 'new' }, ...rows];
    expect(keysetPage(grown, { ...options, limit: 2, cursor: first.nextCursor as string }).items.map((r) => r.id)).toEqual(['z', 'a']);
  });

  it('rejects garbage cursors and cursors made for other filters with a field error', () => {
    const cursor = encodeCursor({ id: 'x' }, 'category=books');
    expect(decodeCursor(cursor, 'category=books')).toEqual({ id: 'x' });
    for (const bad of ['!!!', Buffer.from('{"v":2}').toString('base64url'), Buffer.from('not json').toString('base64url'), 'x'.repeat(600)]) {
      expect(() => decodeCursor(bad)).toThrow();
    }
    let error: unknown;
    try {
      decodeCursor(cursor, 'category=toys');
    } catch (e) {
      error = e;
    }
    expect(isProblemException(error) && error.extensions['errors']).toEqual([{ field: 'cursor', detail: 'is not a valid cursor for this query' }]);
  });
});
