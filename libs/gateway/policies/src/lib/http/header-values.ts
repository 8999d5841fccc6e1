/** Header maps as Node gives them (lower-case names); arrays for repeated fields. */
export type HeaderInput = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** One field value: repeated fields joined with ", " (RFC 9110 §5.3). */
export function headerValue(headers: HeaderInput, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return v.join(', ');
}

/**
 * Splits a comma-separated list field into trimmed members, ignoring commas inside quoted
 * strings (entity tags and parameters may contain commas).
 */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted) {
      current += c;
      if (c === '\\' && i + 1 < value.length) current += value[++i];
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      current += c;
    } else if (c === ',') {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Adds field names to a Vary value without duplicates; `*` absorbs everything. */
export function mergeVary(current: string | readonly string[] | number | undefined, added: string): string {
  const names = splitList(typeof current === 'number' ? String(current) : typeof current === 'string' ? current : current?.join(', '));
  const more = splitList(added);
  if (names.includes('*') || more.includes('*')) return '*';
  const seen = new Set(names.map((n) => n.toLowerCase()));
  for (const n of more) {
    if (!seen.has(n.toLowerCase())) {
      names.push(n);
      seen.add(n.toLowerCase());
    }
  }
  return names.join(', ');
}

/** Finds a header in a flat [name, value, ...] list (names in any case). */
export function flatIndexes(headers: readonly string[], lowerName: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) found.push(i);
  }
  return found;
}

/** Removes every occurrence of a header from a flat list, in place. */
export function flatRemove(headers: string[], lowerName: string): void {
  const found = flatIndexes(headers, lowerName);
  for (let k = found.length - 1; k >= 0; k--) headers.splice(found[k] as number, 2);
}

/** Replaces every occurrence of a header in a flat list with one value, in place. */
export function flatSet(headers: string[], lowerName: string, value: string): void {
  flatRemove(headers, lowerName);
  headers.push(lowerName, value);
}
