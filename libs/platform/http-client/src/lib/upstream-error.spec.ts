import { toProblemResponse } from '@edge/problem-details';
import { UpstreamError, type UpstreamErrorInit } from './upstream-error';

const base = { dependency: 'orders', method: 'GET', path: '/orders/:id', attempts: 1 } as const;
const failure = (init: Partial<UpstreamErrorInit>) => new UpstreamError({ ...base, kind: 'status', ...init });
const answer = (status: number, headers: Record<string, string> = {}) => ({ status, headers, body: { detail: 'stack trace at db.js:42', secret: 's3cr3t' } });

describe('UpstreamError → problem details', () => {
  it.each([
    ['connect', 502, 'bad-gateway'],
    ['reset', 502, 'bad-gateway'],
    ['protocol', 502, 'bad-gateway'],
    ['timeout', 504, 'gateway-timeout'],
    ['aborted', 504, 'gateway-timeout'],
    ['circuit-open', 503, 'circuit-open'],
    ['overloaded', 503, 'overloaded'],
  ] as const)('%s → %d %s', (kind, status, code) => {
    const problem = toProblemResponse(failure({ kind, cause: new Error('connect ECONNREFUSED 10.0.0.7:4102') }));
    expect(problem.status).toBe(status);
    expect(problem.body.type).toBe(`urn:edge:problem:${code}`);
    expect(JSON.stringify(problem.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|orders/);
  });

  it.each([
    [500, 502, 'bad-gateway'],
    [502, 502, 'bad-gateway'],
    [503, 503, 'upstream-unavailable'],
    [504, 504, 'gateway-timeout'],
    [429, 503, 'upstream-unavailable'],
    [401, 502, 'bad-gateway'],
    [302, 502, 'bad-gateway'],
    [400, 400, 'bad-request'],
    [403, 403, 'forbidden'],
    [404, 404, 'not-found'],
    [409, 409, 'conflict'],
    [422, 422, 'unprocessable-content'],
  ])('upstream %d → %d %s, without the upstream body', (upstreamStatus, status, code) => {
    const problem = toProblemResponse(failure({ upstream: answer(upstreamStatus) }));
    expect(problem.status).toBe(status);
    expect(problem.body.type).toBe(`urn:edge:problem:${code}`);
    expect(JSON.stringify(problem.body)).not.toMatch(/s3cr3t|db\.js/);
  });

  it('carries Retry-After: the breaker reopen time, or a small upstream delta-seconds value', () => {
    expect(toProblemResponse(failure({ kind: 'circuit-open', retryAfterSeconds: 4 })).headers).toEqual({ 'retry-after': '4' });
    expect(toProblemResponse(failure({ upstream: answer(503, { 'retry-after': '7' }) })).headers).toEqual({ 'retry-after': '7' });
    expect(toProblemResponse(failure({ upstream: answer(503, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }) })).headers).toEqual({ 'retry-after': '1' });
  });

  it('keeps the cause and a log-friendly message with the template, never the filled path', () => {
    const cause = new Error('socket hang up');
    const error = failure({ kind: 'reset', cause, attempts: 3 });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('orders GET /orders/:id failed: reset after 3 attempt(s)');
    expect(failure({ upstream: answer(404) }).isStatus(404)).toBe(true);
    expect(failure({ kind: 'timeout' }).isStatus(404)).toBe(false);
  });
});

describe('UpstreamError.fieldErrors', () => {
  const rejected = (status: number, body: unknown) => failure({ upstream: { status, headers: {}, body } });

  it("returns a 400's well-formed field list", () => {
    expect(rejected(400, { errors: [{ field: 'cursor', detail: 'is not a valid cursor for this query', extra: 1 }] }).fieldErrors()).toEqual([
      { field: 'cursor', detail: 'is not a valid cursor for this query' },
    ]);
  });

  it('returns nothing for other statuses, kinds, or lists that are absent, empty, too long or not plain text', () => {
    const one = { errors: [{ field: 'a', detail: 'b' }] };
    expect(rejected(422, one).fieldErrors()).toBeUndefined();
    expect(failure({ kind: 'reset' }).fieldErrors()).toBeUndefined();
    for (const body of [undefined, null, 'text', {}, { errors: [] }, { errors: Array.from({ length: 101 }, () => ({ field: 'a', detail: 'b' })) }, { errors: [null] }, { errors: [{ field: 'a' }] }, { errors: [{ field: 'a', detail: 'x\ny' }] }]) {
      expect(rejected(400, body).fieldErrors()).toBeUndefined();
    }
  });
});
