import { UpstreamError } from '@edge/http-client';
import { isProblemException } from '@edge/problem-details';
import { pageCursor, pageLimit, resourceId, withPageCursor } from './query-params';

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

  describe('withPageCursor', () => {
    const rejected = (status: number, body: unknown) =>
      new UpstreamError({ dependency: 'orders', kind: 'status', method: 'GET', path: '/orders', attempts: 1, upstream: { status, headers: {}, body } });
    const cursorProblem = { type: 'urn:edge:problem:validation-failed', errors: [{ field: 'cursor', detail: 'is not a valid cursor for this query' }] };

    it("says a dependency's 400 about the cursor in this API's terms", async () => {
      const error = await withPageCursor('abc', () => Promise.reject(rejected(400, cursorProblem))).catch((e: unknown) => e);
      expect(isProblemException(error) && { status: error.status, code: error.code, ...error.extensions }).toEqual({
        status: 400,
        code: 'validation-failed',
        errors: [{ field: 'cursor', detail: 'must be a cursor from a previous page of the same query' }],
      });
    });

    it('passes every other failure on unchanged', async () => {
      const others = [rejected(400, { errors: [{ field: 'limit' }] }), rejected(503, cursorProblem), rejected(400, 'text'), new Error('boom')];
      for (const other of others) await expect(withPageCursor('abc', () => Promise.reject(other))).rejects.toBe(other);
      // Without a cursor from the client, a 400 about one is not the client's doing.
      const own = rejected(400, cursorProblem);
      await expect(withPageCursor(undefined, () => Promise.reject(own))).rejects.toBe(own);
      await expect(withPageCursor('abc', () => Promise.resolve(7))).resolves.toBe(7);
    });
  });
});
