import { decimalString, minorUnitDigits } from './money';

describe('v1 decimal money', () => {
  it('knows the minor units of currencies', () => {
    expect([minorUnitDigits('EUR'), minorUnitDigits('JPY'), minorUnitDigits('BHD')]).toEqual([2, 0, 3]);
  });

  it('writes minor units as exact decimal strings', () => {
    expect(decimalString(2599, 'EUR')).toBe('25.99');
    expect(decimalString(5, 'EUR')).toBe('0.05');
    expect(decimalString(0, 'EUR')).toBe('0.00');
    expect(decimalString(-1050, 'EUR')).toBe('-10.50');
    expect(decimalString(1234, 'JPY')).toBe('1234');
    expect(decimalString(1, 'BHD')).toBe('0.001');
    // Beyond what floating point division would print exactly.
    expect(decimalString(9007199254740991, 'EUR')).toBe('90071992547409.91');
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => decimalString(12.5, 'EUR')).toThrow(RangeError);
  });
});
