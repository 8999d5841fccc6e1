import { integer, jsonString, jsonStringBound, millis } from './access-line-encoder';

const encode = (write: (out: Buffer, at: number) => number, room = 256): string => {
  const out = Buffer.alloc(room + 4, 0x7c); // bars around: a write past its end would show
  const end = write(out, 2);
  expect(out[0]).toBe(0x7c);
  expect(out[end]).toBe(0x7c);
  return out.toString('utf8', 2, end);
};

describe('access line encoder', () => {
  it('writes JSON strings byte for byte as JSON.stringify, within their bound', () => {
    const samples = ['', 'plain/path-1.2_~', 'say "hi"', 'back\\slash', 'line\nbreak\ttab\u0000', 'caf\u00e9', '\u{1F600}', 'lone \ud800 surrogate', '\u2028\u2029', '\u007f'];
    for (const value of samples) {
      const text = encode((out, at) => jsonString(out, at, value), jsonStringBound(value));
      expect(text).toBe(JSON.stringify(value));
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(jsonStringBound(value));
    }
  });

  it('writes integers in decimal, and anything else as JavaScript prints it', () => {
    for (const n of [0, 7, 10, 99, 100, 65_535, 1_000_000_007, Number.MAX_SAFE_INTEGER, -1, 1.5, NaN, 2 ** 60]) {
      expect(encode((out, at) => integer(out, at, n))).toBe(String(n));
    }
  });

  it('writes milliseconds rounded to the microsecond, without trailing zeros', () => {
    const cases: [number, string][] = [[0, '0'], [0.0004, '0'], [0.0005, '0.001'], [0.02, '0.02'], [12.3456789, '12.346'], [999.9995, '1000'], [-1, '-1'], [Infinity, 'Infinity']];
    for (const [ms, text] of cases) expect(encode((out, at) => millis(out, at, ms))).toBe(text);
  });
});
