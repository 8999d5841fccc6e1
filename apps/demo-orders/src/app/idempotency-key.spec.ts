import { isProblemException } from '@edge/problem-details';
import { canonicalJson, idempotencyKeyOf, requestFingerprint } from './idempotency-key';

const statusOf = (header: string | undefined) => {
  try {
    idempotencyKeyOf(header);
    return 200;
  } catch (error) {
    return isProblemException(error) ? error.status : 500;
  }
};

describe('Idempotency-Key', () => {
  it('is required (428) and bounded in length and charset (400)', () => {
    expect(statusOf(undefined)).toBe(428);
    expect(statusOf('')).toBe(428);
    expect(statusOf('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(200);
    expect(idempotencyKeyOf('"abc"')).toBe('abc');
    expect(statusOf('x'.repeat(256))).toBe(400);
    expect(statusOf('has space')).toBe(400);
    expect(statusOf('"unbalanced')).toBe(400);
    expect(statusOf('semi;colon')).toBe(400);
  });

  it('fingerprints bodies independently of key order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    expect(requestFingerprint('POST', '/orders', { a: 1, b: 2 })).toBe(requestFingerprint('POST', '/orders', { b: 2, a: 1 }));
    expect(requestFingerprint('POST', '/orders', { a: 1 })).not.toBe(requestFingerprint('POST', '/orders', { a: 2 }));
  });
});
