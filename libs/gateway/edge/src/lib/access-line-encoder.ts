/**
 * Writes JSON pieces straight into a byte buffer, for access lines. The caller reserves
 * room first (see `boundOf`). Strings that are plain printable ASCII, which is nearly every
 * field of every line, are copied byte by byte; any other string goes through
 * JSON.stringify and a UTF-8 write. A line built this way never exists as a JS string: no
 * concatenation tree to allocate, flatten and encode per request.
 */

/** Bytes a string can take inside a JSON line: `\u00XX` escapes are 6 bytes per UTF-16 unit. */
const BYTES_PER_UNIT = 6;

/** Upper bound of the bytes `jsonString` writes for `value` (quotes included). */
export const jsonStringBound = (value: string): number => 2 + value.length * BYTES_PER_UNIT;

/** Copies ASCII text as is: for literals and strings known to be plain (hex ids, formatted numbers). */
export function ascii(out: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/** A JSON string: copied as is between quotes when printable ASCII but `"` and `\`, escaped otherwise. */
export function jsonString(out: Buffer, at: number, value: string): number {
  out[at] = 0x22;
  const start = at + 1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return at + out.write(JSON.stringify(value), at, 'utf8');
    out[start + i] = c;
  }
  out[start + value.length] = 0x22;
  return start + value.length + 1;
}

/** A non-negative safe integer in decimal (anything else as JavaScript prints it). */
export function integer(out: Buffer, at: number, n: number): number {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) return ascii(out, at, String(n));
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let x = n;
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 0x30 + (x % 10);
    x = Math.floor(x / 10);
  }
  return at + digits;
}

/** Milliseconds to the microsecond, as a JSON number without trailing zeros (`12.345`, `1.5`, `3`). */
export function millis(out: Buffer, at: number, ms: number): number {
  const us = Math.round(ms * 1000);
  if (!(us >= 0) || us > Number.MAX_SAFE_INTEGER) return ascii(out, at, String(ms));
  const whole = Math.floor(us / 1000);
  let fraction = us - whole * 1000;
  at = integer(out, at, whole);
  if (fraction === 0) return at;
  out[at++] = 0x2e;
  for (let unit = 100; fraction > 0; unit /= 10) {
    const digit = Math.floor(fraction / unit);
    out[at++] = 0x30 + digit;
    fraction -= digit * unit;
  }
  return at;
}
