import { isProblemException } from '@edge/problem-details';
import { pageCursor, pageLimit, resourceId } from './query-params';

function problemOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    if (isProblemException(error)) return { status: error.status, code: error.code, ...error.extensions };
  }
  throw new Error('expected a problem');
}

describe('query parameters', () => {
  it('bounds page sizes instead of clamping them silently', () => {
    expect(pageLimit(undefined, 20, 50)).toBe(20);
    expect(pageLimit('50', 20, 50)).toBe(50);
    for (const bad of ['0', '51', '-1', '1.5', 'ten', '']) {
      expect(problemOf(() => pageLimit(bad, 20, 50))).toEqual({ status: 400, code: 'validation-failed', errors: [{ field: 'limit', detail: 'must be an integer from 1 to 50' }] });
    }
  });

  it('accepts only opaque cursors and plain ids', () => {
    expect(pageCursor('eyJpZCI6Im9yZF8wMDAxIn0')).toBe('eyJpZCI6Im9yZF8wMDAxIn0');
    expect(problemOf(() => pageCursor('a b'))['code']).toBe('validation-failed');
    expect(resourceId('ord_0001', 'id')).toBe('ord_0001');
    for (const bad of ['../x', 'a/b', '%2e', 'x'.repeat(65)]) expect(problemOf(() => resourceId(bad, 'id'))['status']).toBe(400);
  });
});
