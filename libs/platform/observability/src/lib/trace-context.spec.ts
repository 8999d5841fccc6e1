import { inboundDeadline } from './deadline';
import { redactUrl } from './redaction';
import { requestIdFrom } from './request-id';
import { propagationHeaders } from './request-context';
import { parseTraceparent, sanitizeTracestate, traceContextFrom } from './trace-context';

describe('trace context', () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  it('parses a valid traceparent and rejects invalid ones', () => {
    expect(parseTraceparent(valid)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', flags: '01' });
    for (const bad of [
      undefined,
      '',
      'garbage',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      `${valid}-extra`,
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });
  it('continues a trace with a new span id, or starts a new one', () => {
    const ctx = traceContextFrom(valid, 'vendor=abc');
    expect(ctx.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(ctx.parentSpanId).toBe('00f067aa0ba902b7');
    expect(ctx.spanId).not.toBe('00f067aa0ba902b7');
    expect(ctx.tracestate).toBe('vendor=abc');
    const fresh = traceContextFrom('nope', 'vendor=abc');
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.tracestate).toBeUndefined();
  });
  it('drops invalid tracestate', () => {
    expect(sanitizeTracestate('Vendor=x')).toBeUndefined();
    expect(sanitizeTracestate('a=1,b=2')).toBe('a=1,b=2');
    expect(sanitizeTracestate('x'.repeat(600))).toBeUndefined();
  });
});

describe('request id and deadline', () => {
  it('accepts well-formed ids only', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(requestIdFrom('a b')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(200))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(['first', 'second'])).toBe('first');
  });
  it('takes the shortest of own budget, relative and absolute caller deadlines; ignores garbage', () => {
    expect(inboundDeadline({}, 1000, 500)).toBe(1500);
    expect(inboundDeadline({ 'request-timeout-ms': '200' }, 1000, 500)).toBe(1200);
    expect(inboundDeadline({ 'request-timeout-ms': '9000' }, 1000, 500)).toBe(1500);
    expect(inboundDeadline({ 'request-deadline': String(1_700_000_000_100) }, 1_700_000_000_000, 500)).toBe(1_700_000_000_100);
    expect(inboundDeadline({ 'request-timeout-ms': '-5' }, 1000, 500)).toBe(1500);
  });
  it('propagates a child traceparent, the request id and the remaining budget', () => {
    const headers = propagationHeaders(
      { requestId: 'r1', trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: '01' }, deadline: 5000, startedAt: 0, signal: new AbortController().signal },
      4200,
    );
    expect(headers['x-request-id']).toBe('r1');
    expect(headers['request-timeout-ms']).toBe('800');
    expect(headers['traceparent']).toMatch(new RegExp(`^00-${'a'.repeat(32)}-(?!${'b'.repeat(16)})[0-9a-f]{16}-01$`));
  });
});

describe('redactUrl', () => {
  it('hides credential-like query values', () => {
    expect(redactUrl('/cb?code=abc&state=xyz&page=2')).toBe('/cb?code=[REDACTED]&state=[REDACTED]&page=2');
    expect(redactUrl('/x?access_token=t')).toBe('/x?access_token=[REDACTED]');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});
