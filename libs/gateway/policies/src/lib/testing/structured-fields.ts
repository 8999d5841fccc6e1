/**
 * A strict RFC 8941 List parser (items with parameters; no inner lists), written for tests to
 * check the gateway's header values against the Structured Fields grammar independently of
 * the code that serialises them.
 */
export type BareItem = number | string | boolean | { token: string };
export interface SfItem {
  value: BareItem;
  params: Record<string, BareItem>;
}

export function parseSfList(input: string): SfItem[] {
  let i = 0;
  const s = input;
  const fail = (why: string): never => {
    throw new Error(`invalid structured field at ${i}: ${why} in ${JSON.stringify(s)}`);
  };
  const skipSp = () => {
    while (s[i] === ' ') i++;
  };
  const skipOws = () => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  const bare = (): BareItem => {
    const c = s[i] ?? '';
    if (c === '-' || /\d/.test(c)) {
      const m = /^-?\d{1,15}(\.\d{1,3})?/.exec(s.slice(i));
      if (!m) fail('number');
      const text = (m as RegExpExecArray)[0];
      if (text.includes('.') && (text.split('.')[0] ?? '').replace('-', '').length > 12) fail('decimal too long');
      i += text.length;
      return Number(text);
    }
    if (c === '"') {
      i++;
      let out = '';
      for (;;) {
        const ch = s[i++];
        if (ch === undefined) fail('unterminated string');
        if (ch === '\\') {
          const next = s[i++];
          if (next !== '"' && next !== '\\') fail('bad escape');
          out += next;
        } else if (ch === '"') return out;
        else if ((ch as string) < ' ' || (ch as string) > '~') fail('non-printable in string');
        else out += ch;
      }
    }
    if (c === '?') {
      const b = s[i + 1];
      if (b !== '0' && b !== '1') fail('boolean');
      i += 2;
      return b === '1';
    }
    if (/[A-Za-z*]/.test(c)) {
      const m = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/.exec(s.slice(i)) as RegExpExecArray;
      i += m[0].length;
      return { token: m[0] };
    }
    return fail('bare item');
  };
  const params = (): Record<string, BareItem> => {
    const out: Record<string, BareItem> = {};
    while (s[i] === ';') {
      i++;
      skipSp();
      const m = /^[a-z*][a-z0-9_\-.*]*/.exec(s.slice(i));
      if (!m) fail('parameter key');
      const key = (m as RegExpExecArray)[0];
      i += key.length;
      if (s[i] === '=') {
        i++;
        out[key] = bare();
      } else out[key] = true;
    }
    return out;
  };
  const items: SfItem[] = [];
  skipSp();
  if (i >= s.length) fail('empty list');
  for (;;) {
    if (s[i] === '(') fail('inner lists are not expected here');
    const value = bare();
    items.push({ value, params: params() });
    skipOws();
    if (i >= s.length) return items;
    if (s[i] !== ',') fail('expected ","');
    i++;
    skipOws();
    if (i >= s.length) fail('trailing comma');
  }
}
